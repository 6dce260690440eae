import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import { cn } from "./cn";

/** The look of every text input and select, without size or layout: for compact controls that are not an <Input>. */
export const CONTROL_LOOK =
  "rounded-md border-0 bg-white text-sm text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 " +
  "placeholder:text-gray-400 focus:outline-none focus:ring-2 focus:ring-inset focus:ring-indigo-600 disabled:bg-gray-50 disabled:text-gray-500";
const CONTROL = `block w-full px-3 py-2 ${CONTROL_LOOK}`;

export function Input({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(CONTROL, className)} {...rest} />;
}

export function Select({ className, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select className={cn(CONTROL, "pr-8", className)} {...rest}>
      {children}
    </select>
  );
}

/** A labelled control: the label is tied to the control, so it is the control's accessible name. */
export function Field({
  label,
  hint,
  className,
  children,
}: {
  label: string;
  hint?: ReactNode;
  className?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-gray-700">
        {label}
      </label>
      {children(id)}
      {hint ? <p className="text-xs text-gray-500">{hint}</p> : null}
    </div>
  );
}

export function TextField({
  label,
  hint,
  wrapperClassName,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; wrapperClassName?: string }) {
  return (
    <Field label={label} hint={hint} className={wrapperClassName}>
      {(id) => <Input id={id} {...rest} />}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  wrapperClassName,
  children,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; hint?: ReactNode; wrapperClassName?: string }) {
  return (
    <Field label={label} hint={hint} className={wrapperClassName}>
      {(id) => (
        <Select id={id} {...rest}>
          {children}
        </Select>
      )}
    </Field>
  );
}
