// Package tests holds the end-to-end scenarios: each boots a whole system in
// micro, mono or hybrid mode through the same code paths as `mkos run`
// (boot.Parse, boot.Boot, System.Run, Summary.Write) and checks what a user
// would see.
//
//   - scenario_test.go runs the scenario files testdata/*.txt: a command
//     (config, run, trace), a `----` line, and the expected transcript. Run
//     `go test ./tests -run Scenario -rewrite` to rewrite the transcripts
//     in place, then review the diff like code. Its `trace` command renders
//     kernel events as a plain-text message sequence chart for slides.
//   - sh_scripts_test.go runs the POSIX shell scripts testdata/sh/*.sh
//     through /bin/sh on a booted system and compares their output with
//     testdata/sh/*.want (the same -rewrite flag rewrites them).
//   - determinism_test.go checks that one seed reproduces a run byte for
//     byte, in every mode, on one and two CPUs, under several policies.
//   - sameanswers_test.go builds mkos for this host and for js/wasm and
//     runs seeded workloads (run, run -c, the sched and vm labs) with both,
//     the js/wasm one under Node: outputs, traces and files must be the
//     same bytes. absent_test.go (not on Linux) checks that process
//     placement is refused with an error naming the platform.
//   - imports_test.go parses the tree and fails on an import that points
//     the wrong way (docs/architecture.md, "Layers and the import rule");
//     tables_test.go checks that the tables the CLI and boot files name
//     (kinds, servers, policies, profiles) agree; names_test.go that every
//     service's requests have names for traces.
//
// The package has no non-test code besides this file.
//
// Imports: anything; nothing imports tests.
package tests
