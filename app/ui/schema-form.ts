import { useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";

type FormSchema = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

/**
 * conform's useForm, set up the one way our forms work: the server's last answer, the schema's
 * limits as HTML constraints, and the same schema validating in the browser when the form is
 * sent, then again as one types. Not on blur: an error appearing as focus leaves a field moves
 * the submit button between mousedown and mouseup and loses the click, and the error summary
 * (ui/error-summary.tsx) is for submissions. `constraintSchema` is for schemas whose
 * transforms hide the fields' limits.
 */
export function useSchemaForm<
  S extends FormSchema,
  Fields extends Record<string, unknown> = z.input<S>,
>(
  schema: S,
  options: {
    id?: string;
    lastResult: SubmissionResult<string[]> | undefined;
    defaultValue?: NoInfer<Partial<Record<keyof Fields, unknown>>>;
    constraintSchema?: FormSchema;
  },
) {
  const { constraintSchema, ...rest } = options;
  return useForm<Fields, z.output<S>>({
    ...rest,
    defaultValue: rest.defaultValue as never,
    constraint: getZodConstraint(constraintSchema ?? schema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}
