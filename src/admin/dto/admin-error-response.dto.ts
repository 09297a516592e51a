import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ValidationProblemDto {
  @ApiProperty({ example: 'limit' })
  field!: string;

  @ApiProperty({ example: 'limit must not be greater than 500' })
  problem!: string;
}

/** The contract's error body (API.md "Errors"), as the admin routes document it. */
export class AdminErrorResponseDto {
  @ApiProperty({ example: 401 })
  statusCode!: number;

  @ApiProperty({ example: 'UNAUTHORIZED' })
  code!: string;

  @ApiProperty({ example: 'A valid admin key is required' })
  message!: string;

  @ApiPropertyOptional({ description: 'Seconds; on 429 also sent as the Retry-After header' })
  retryAfter?: number;

  @ApiPropertyOptional({ type: [ValidationProblemDto], description: 'On VALIDATION_FAILED' })
  details?: ValidationProblemDto[];

  @ApiPropertyOptional()
  requestId?: string;
}
