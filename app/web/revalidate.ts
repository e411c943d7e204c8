import type { ShouldRevalidateFunction } from "react-router";

/**
 * React Router skips reloading data after an action answers 4xx. After a conflict (409) the
 * page must show what someone else changed meanwhile, so it reloads then too.
 */
export const revalidateAfterConflict: ShouldRevalidateFunction = ({
  actionStatus,
  defaultShouldRevalidate,
}) => actionStatus === 409 || defaultShouldRevalidate;
