import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { validationError } from './app-error.js';
import { hostileInputProblems } from './hostile-input.js';

/**
 * Runs before the ValidationPipe on every body, query and path parameter of every route: refuses
 * what the validator or the database cannot take (see hostileInputProblems) with 400
 * VALIDATION_FAILED naming the field. After the guards, so an admin route still answers 401 first.
 */
@Injectable()
export class HostileInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const problems = hostileInputProblems(value, metadata.data ?? '');
    if (problems.length > 0) throw validationError(problems);
    return value;
  }
}
