// Package wasm holds, in its subdirectories, the sources of ordinary Go
// programs that mkos runs as WebAssembly (WASI preview 1) modules: the
// Makefile builds each with GOOS=wasip1 GOARCH=wasm and copies it into a
// disk image's /bin, and the tests build them the same way. They use only
// Go's standard library — nothing of mkos: they are the "real software"
// a student compiles with a real compiler (docs/programs.md).
//
//   - hello: greets, shows its arguments, environment and directory;
//   - wc: counts lines, words and bytes of files or standard input;
//   - probe: the tests' program, one subcommand per thing to check.
//
// Imports: nothing.
package wasm
