import {
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type FieldMetadata,
} from "@conform-to/react";
import type { ReactNode } from "react";

const controlClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";

interface FieldProps {
  label: string;
  meta: FieldMetadata<string | null | undefined>;
  hint?: ReactNode;
}

/** Label, input, hint and errors, wired with aria-invalid and aria-describedby. */
export function TextField({
  label,
  meta,
  hint,
  type = "text",
  ...rest
}: FieldProps & {
  type?: "text" | "url" | "search" | "email" | "password";
  placeholder?: string;
  autoComplete?: string;
  list?: string;
}) {
  const { key, ...props } = getInputProps(meta, {
    type,
    ariaDescribedBy: hint ? meta.descriptionId : undefined,
  });
  return (
    <FieldFrame label={label} meta={meta} hint={hint}>
      <input key={key} {...props} {...rest} className={controlClass} />
    </FieldFrame>
  );
}

export function TextareaField({ label, meta, hint, rows = 6 }: FieldProps & { rows?: number }) {
  const { key, ...props } = getTextareaProps(meta, {
    ariaDescribedBy: hint ? meta.descriptionId : undefined,
  });
  return (
    <FieldFrame label={label} meta={meta} hint={hint}>
      <textarea key={key} {...props} rows={rows} className={controlClass} />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  meta,
  hint,
  options,
  placeholder,
}: FieldProps & {
  options: Array<{ value: string; label: string }>;
  /** A first, empty choice such as "Choose an agent". */
  placeholder?: string;
}) {
  const { key, ...props } = getSelectProps(meta, {
    ariaDescribedBy: hint ? meta.descriptionId : undefined,
  });
  return (
    <FieldFrame label={label} meta={meta} hint={hint}>
      <select key={key} {...props} className={controlClass}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** The frame of any field: also for inputs of other kinds of values, such as files. */
export function FieldFrame({
  label,
  meta,
  hint,
  children,
}: {
  label: string;
  meta: Pick<FieldMetadata<unknown>, "id" | "descriptionId" | "errorId" | "errors">;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={meta.id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={meta.descriptionId} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function FieldErrors({ id, errors }: { id?: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-700 dark:text-red-400">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}

/** Errors about the whole form (conflicts, GitHub outages), announced when they appear. */
export function FormErrors({ id, errors }: { id?: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div
      id={id}
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {errors.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </div>
  );
}
