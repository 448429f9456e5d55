// A JSON body's shape, checked on its text before it is parsed: how deep it nests and how
// many members it has. A body of thousands of nested arrays used to reach the validation
// pipe and overflow its recursion (a 500 for anyone, no token needed); a very wide one cost
// seconds to refuse. One linear pass over the text, no allocation.

/** Members (array items and object entries) a body may hold in all; the API's largest real body has under a hundred. */
export const JSON_MAX_MEMBERS = 2000;

/** Why this JSON text is refused before parsing, or null when its shape is fine. */
export function jsonShapeProblem(text: string, maxDepth: number, maxMembers = JSON_MAX_MEMBERS): string | null {
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return `the body nests deeper than ${maxDepth} levels`;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && ++members > maxMembers) return `the body has more than ${maxMembers} members`;
  }
  return null;
}

/** A body refused for its shape: a 400 with the reason (the error filter maps FST_ codes below 500 to VALIDATION_FAILED). */
export class JsonShapeError extends Error {
  readonly code = 'FST_JSON_SHAPE';
  readonly statusCode = 400;
}
