import type { ComponentProps } from "react";
import { useNavigation } from "react-router";

/**
 * A form's submit button. While its own submission is under way it is disabled and says what is
 * happening ("Saving…"). On a page with several forms, `intent` (sent as the `intent` field)
 * or `action` (the form's action path) tells which submission is this button's.
 */
export function SubmitButton({
  pendingLabel,
  intent,
  action,
  className = "btn btn-primary",
  children,
  disabled,
  ...props
}: Omit<ComponentProps<"button">, "type" | "name" | "value"> & {
  pendingLabel: string;
  intent?: string;
  action?: string;
}) {
  const navigation = useNavigation();
  const pending =
    navigation.state === "submitting" &&
    (intent === undefined || navigation.formData?.get("intent") === intent) &&
    (action === undefined || navigation.formAction === action);
  return (
    <button
      {...props}
      type="submit"
      {...(intent === undefined ? {} : { name: "intent", value: intent })}
      className={className}
      disabled={pending || disabled}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
