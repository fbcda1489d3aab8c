// Package osteptool is what every OSTEP homework simulator written in Go
// shares: the Tool record `mkos ostep` lists, Python's exceptions as
// values, and the early exits of a script (optparse's usage error, -h, an
// uncaught exception's traceback).
//
// Imports: lab/optparse.
package osteptool
