/**
 * `work`, or the error `timedOut` makes once `ms` have passed without an answer, whichever
 * comes first. The timer never outlives the race. `work` itself is not cancelled: what it
 * does may still complete later.
 */
export async function withinDeadline<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error of a connection attempt that got no answer, with the code network errors carry. */
export function noAnswerWithin(description: string): Error {
  return Object.assign(new Error(`no answer within ${description}`), { code: 'ETIMEDOUT' });
}
