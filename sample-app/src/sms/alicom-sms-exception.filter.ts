import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { AlicomApiError, AlicomSmsError, ReportTimeoutError, SmsInputError } from 'nestjs-alicom-sms';

/** The part of Express' response this filter uses (the sample does not depend on @types/express). */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

/**
 * Turns the library's errors into HTTP answers a client can act on:
 * `SmsInputError` → 400 with every bad field (nothing was sent), `ReportTimeoutError` → 504, an
 * `AlicomApiError` → 502 with Alibaba's code, RequestId and whether resending is safe.
 */
@Catch(AlicomSmsError)
export class AlicomSmsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SmsErrors');

  catch(error: AlicomSmsError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (error instanceof SmsInputError) {
      response.status(HttpStatus.BAD_REQUEST).json({
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: error.message,
        code: error.code,
        problems: error.problems,
      });
      return;
    }
    if (error instanceof ReportTimeoutError) {
      response.status(HttpStatus.GATEWAY_TIMEOUT).json({
        statusCode: HttpStatus.GATEWAY_TIMEOUT,
        error: 'Gateway Timeout',
        message: error.message,
        code: error.code,
      });
      return;
    }
    if (!(error instanceof AlicomApiError)) {
      response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ statusCode: 500, error: 'Internal Server Error', message: error.message, code: error.code });
      return;
    }
    // The message names the action and Alibaba's code, never credentials.
    this.logger.warn(`${error.action} failed: [${error.code}] ${error.message}`);
    response.status(HttpStatus.BAD_GATEWAY).json({
      statusCode: HttpStatus.BAD_GATEWAY,
      error: 'Bad Gateway',
      message: error.message,
      code: error.code,
      action: error.action,
      requestId: error.requestId,
      resendSafe: error.resendSafe,
      retryable: error.retryable,
    });
  }
}
