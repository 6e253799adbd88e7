/** A problem the person starting the program can fix: printed as its sentence, without a stack trace. */
export class StartupProblem extends Error {}
