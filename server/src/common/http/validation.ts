import { Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Validates every body and query against its DTO; unknown fields are refused. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
