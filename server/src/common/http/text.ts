import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/;
const MULTI_LINE = /^[^\u0000-\u0009\u000b-\u001f\u007f]*$/;

/**
 * A text field people type: trimmed before it is checked, so "   " is empty and
 * refused by the length; control characters refused (newlines only where multiline).
 */
export function TextField(min: number, max: number, opts: { multiline?: boolean } = {}) {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Length(min, max),
    Matches(opts.multiline ? MULTI_LINE : SINGLE_LINE, { message: ({ property }) => `${property} must not contain control characters` }),
  );
}
