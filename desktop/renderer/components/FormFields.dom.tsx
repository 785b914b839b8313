import {
  useId,
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface FieldProps {
  /** The visible label; it is also the control's accessible name. */
  readonly label: string;
  /** Plain words under the control, read out with it. */
  readonly hint?: ReactNode;
  /** 'grow' fills the room left in an inline form; 'inline' puts the label beside the control;
   * 'nested' indents a field that belongs to the choice above it. */
  readonly layout?: 'grow' | 'inline' | 'nested' | undefined;
  /** Monospace, for links and addresses. */
  readonly mono?: boolean | undefined;
}

/** The attributes a field passes through to its control: all but those the field sets itself. */
type ControlAttributes<Attributes> = Omit<
  Attributes,
  'id' | 'className' | 'value' | 'onChange' | 'children'
>;

/** The class a layout adds to `field`. */
const LAYOUT_CLASS = {
  grow: 'field-grow',
  inline: 'field-inline',
  nested: 'nested',
};

/** What every field sets on its control. */
interface ControlProps {
  readonly id: string;
  readonly className: string;
  readonly value: string | number;
  readonly 'aria-describedby': string | undefined;
  readonly onChange: (
    event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>,
  ) => void;
}

/**
 * A labelled control with its hint: the one place that ties the label and the hint to the control
 * by id, so that every form reads the same to a screen reader.
 */
function Field({
  label,
  hint,
  layout,
  mono,
  value,
  onChange,
  describedBy,
  control,
}: FieldProps & {
  readonly value: string | number;
  readonly onChange: (value: string) => void;
  /** Ids the control is described by besides its hint. */
  readonly describedBy: string | undefined;
  readonly control: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const describers = [describedBy, hint === undefined ? undefined : hintId].filter(
    (part) => part !== undefined,
  );
  return (
    <div className={layout === undefined ? 'field' : `field ${LAYOUT_CLASS[layout]}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {control({
        id,
        className: `input${mono === true ? ' mono' : ''}`,
        value,
        'aria-describedby': describers.length === 0 ? undefined : describers.join(' '),
        onChange: (event) => {
          onChange(event.target.value);
        },
      })}
      {hint !== undefined && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

export type TextFieldProps = FieldProps &
  ControlAttributes<InputHTMLAttributes<HTMLInputElement>> & {
    readonly value: string;
    readonly onChange: (value: string) => void;
  };

/** A labelled one-line text input. */
export function TextField({
  label,
  hint,
  layout,
  mono,
  value,
  onChange,
  ...input
}: TextFieldProps) {
  const field = { label, hint, layout, mono, value, onChange };
  return (
    <Field
      {...field}
      describedBy={input['aria-describedby']}
      control={(control) => <input {...input} {...control} />}
    />
  );
}

export type TextAreaFieldProps = FieldProps &
  ControlAttributes<TextareaHTMLAttributes<HTMLTextAreaElement>> & {
    readonly value: string;
    readonly onChange: (value: string) => void;
  };

/** A labelled text area, for anything that may run to several lines. */
export function TextAreaField({
  label,
  hint,
  layout,
  mono,
  value,
  onChange,
  ...textarea
}: TextAreaFieldProps) {
  const field = { label, hint, layout, mono, value, onChange };
  return (
    <Field
      {...field}
      describedBy={textarea['aria-describedby']}
      control={(control) => <textarea {...textarea} {...control} />}
    />
  );
}

export type SelectFieldProps = Omit<FieldProps, 'mono'> &
  ControlAttributes<SelectHTMLAttributes<HTMLSelectElement>> & {
    readonly value: string | number;
    /** The chosen option's value, as the string the `<option>` holds. */
    readonly onChange: (value: string) => void;
    /** The `<option>`s. */
    readonly children: ReactNode;
  };

/** A labelled drop-down choice. */
export function SelectField({
  label,
  hint,
  layout,
  value,
  onChange,
  children,
  ...select
}: SelectFieldProps) {
  const field = { label, hint, layout, value, onChange };
  return (
    <Field
      {...field}
      describedBy={select['aria-describedby']}
      control={(control) => (
        <select {...select} {...control}>
          {children}
        </select>
      )}
    />
  );
}

export type CheckboxFieldProps = Omit<
  ControlAttributes<InputHTMLAttributes<HTMLInputElement>>,
  'type' | 'checked'
> & {
  /** The words beside the box; they are its accessible name. */
  readonly label: ReactNode;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  /** Set apart as a choice with a risk ("Use it anyway"). */
  readonly warning?: boolean | undefined;
};

/** A checkbox inside its label. */
export function CheckboxField({ label, checked, onChange, warning, ...input }: CheckboxFieldProps) {
  return (
    <label className={warning === true ? 'check check-warning' : 'check'}>
      <input
        {...input}
        type="checkbox"
        checked={checked}
        onChange={(event) => {
          onChange(event.target.checked);
        }}
      />
      {label}
    </label>
  );
}
