import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ValidationProblemDto {
  @ApiProperty({ example: 'to' })
  field!: string;

  @ApiProperty({ example: 'to must be a string' })
  problem!: string;
}

/** The contract's one error body (API.md "Errors"), documented once for every route. */
export class ErrorResponseDto {
  @ApiProperty({ example: 429 })
  statusCode!: number;

  @ApiProperty({ example: 'SEND_COOLDOWN' })
  code!: string;

  @ApiProperty({ example: 'Wait 42 s before requesting another code' })
  message!: string;

  @ApiPropertyOptional({
    example: 42,
    description: 'Seconds; on 429 also sent as the Retry-After header',
  })
  retryAfter?: number;

  @ApiPropertyOptional({ example: 2, description: 'CODE_INVALID only' })
  attemptsLeft?: number;

  @ApiPropertyOptional({ type: [ValidationProblemDto], description: 'VALIDATION_FAILED only' })
  details?: ValidationProblemDto[];

  @ApiPropertyOptional({ description: 'Echo of X-Request-Id' })
  requestId?: string;
}
