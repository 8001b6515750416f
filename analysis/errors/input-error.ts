/**
 * A plain engine error about its input that also says which field is wrong, so the service can answer
 * with `details.field` without parsing the message.
 *
 * @example throw new InputError("edits[2]: remove of facility '9', which is not among the facilities of the run", 'edits[2].id');
 */
export class InputError extends Error {
  readonly field: string;

  constructor(message: string, field: string) {
    super(message);
    this.name = 'InputError';
    this.field = field;
  }
}
