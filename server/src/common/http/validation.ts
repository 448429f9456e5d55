import { Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';
import { CommonException } from '../errors/app.exception';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const path = prefix + e.property;
    if (e.constraints) for (const msg of Object.values(e.constraints)) out.push(msg.startsWith(e.property) ? prefix + msg : `${path}: ${msg}`);
    if (e.children?.length) out.push(...flatten(e.children, path + '.'));
  }
  return out;
}

/**
 * Nest's pipe turns a single path or query value into its declared primitive type before
 * the route's own pipe sees it ("+5", " 5", "0x10" and "05" all became 5, and IdPipe then
 * passed them). Here the text reaches the route's pipe as sent; IdPipe alone decides.
 */
class StrictValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }
}

/** Validates every body and query against its DTO; unknown fields are refused. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new CommonException('VALIDATION_FAILED', undefined, flatten(errors)),
  });
}

/** Path ids: positive integers only, refused with VALIDATION_FAILED otherwise. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,9}$/.test(String(value)) || Number(value) > 2_147_483_647) {
      throw new CommonException('VALIDATION_FAILED', undefined, [`id must be a positive integer (got "${String(value).slice(0, 20)}")`]);
    }
    return Number(value);
  }
}

/** Time as ISO-8601 in responses. */
export function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

/**
 * An optional field: it may be left out, but not sent as null (class-validator's own
 * IsOptional lets null through to the service, where it is not "absent" and was a 500).
 */
export function IsOptional(): PropertyDecorator {
  return ValidateIf((_o, v) => v !== undefined);
}

/**
 * A whole number from a query string (or a JSON number): only plain decimal digits convert.
 * class-transformer's Number() took "1e3", " 1", "0x10" and "" (as 0) for numbers.
 */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value));
}

/** A boolean from a query string: only "true" and "false" (or a JSON boolean). */
export function QueryBool(): PropertyDecorator {
  return Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
}
