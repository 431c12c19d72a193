/**
 * Domain errors. Domain code throws AppError and never imports tRPC; one formatter maps the code
 * to a tRPC/HTTP status, so a coordinator sees the message and never a stack trace or SQL.
 */
export const APP_ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "TOO_MANY_REQUESTS",
  "SERVICE_UNAVAILABLE",
] as const;

export type TAppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: TAppErrorCode;
  /** Field path → message, for forms that show the error next to the input. */
  readonly fieldErrors?: Record<string, string>;

  constructor(code: TAppErrorCode, message: string, fieldErrors?: Record<string, string>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

export const isAppError = (e: unknown): e is AppError =>
  e instanceof AppError || (e as AppError)?.name === "AppError";
