// Collects a streamed answer with a ceiling. A review answer is a few kilobytes of JSON; a model stuck repeating
// itself can stream until maxTokens, and a broken server forever. Past the ceiling the request is ended and the
// review of that unit fails with kind 'bad-response' instead of growing the process without bound.

/** 2 MiB of text: hundreds of times a real answer, small enough to hold and parse comfortably. */
export const MAX_ANSWER_CHARS = 2 * 1024 * 1024;

export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';
  constructor(readonly limit: number) {
    super(`the answer grew past ${limit} characters`);
  }
}

export class AnswerBuffer {
  private readonly parts: string[] = [];
  private length = 0;

  constructor(private readonly limit: number = MAX_ANSWER_CHARS) {}

  append(piece: string | null | undefined): void {
    if (!piece) return;
    this.length += piece.length;
    if (this.length > this.limit) throw new AnswerTooLargeError(this.limit);
    this.parts.push(piece);
  }

  get size(): number {
    return this.length;
  }

  text(): string {
    return this.parts.join('');
  }
}
