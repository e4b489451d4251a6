export { REQUIRE_ENV, available, hasCommand, hostRunsX64, onX64Linux } from './environment.ts';
export { TESTSUITE, hasTestsuite, sharedPath } from './testsuite.ts';
