/**
 * The tests of pure code only (no Temporal server, no database): what mutation testing runs against
 * each mutant of `domain/` and of the round's rules (`npm run test:mutation`).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: [
    '<rootDir>/test/domain.test.ts',
    '<rootDir>/test/views.test.ts',
    '<rootDir>/test/domain-rules.test.ts',
    '<rootDir>/test/round-rules.test.ts',
    '<rootDir>/test/routing-rules.test.ts',
    '<rootDir>/test/calendar.test.ts',
    '<rootDir>/test/audit-rules.test.ts',
  ],
};
