import { useNavigation } from "react-router";

/**
 * A thin bar across the top of the window while the next page loads. It shows only after
 * 150 ms (the `navigation-progress` style in app.css), so quick navigations do not flash.
 * Screen readers hear of loading from `aria-busy` on the content being replaced instead.
 */
export function NavigationProgress() {
  const navigation = useNavigation();
  if (navigation.state === "idle") return null;
  return (
    <div className="navigation-progress" aria-hidden="true" data-testid="navigation-progress" />
  );
}
