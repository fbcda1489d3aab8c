// Package course is the graded-lab kit behind `mkos lab`: the labs of a
// course in the order it meets them (labs.go), each with a statement
// (statements/NAME.md, embedded), the reference code a handout removes
// (stubs), and a grader's checks with points and timeouts.
//
//   - handout.go writes a copy of the repository in which each stubbed
//     function's body is replaced by panic("lab NAME: TODO"), found and
//     rewritten with go/ast (stub.go), imports that fall unused dropped, so
//     that the handout builds, the rest of the system works, and the
//     grader fails until the student writes the code.
//   - grade.go runs a lab's checks on a student's tree: each `go test` or
//     mkos command in its own process with its own timeout, a fresh build
//     (-count=1, the binary built from the tree), no network (GOPROXY=off,
//     GOFLAGS=-mod=readonly, GOTOOLCHAIN=local); a panic in the student's
//     code is a failed check with its message. Test files a check relies
//     on are compared with the grader's record of them (hashes.go), so a
//     student cannot pass by editing the tests; expected outputs of CLI
//     checks are embedded in the grader (grading/), not read from the tree.
//
// Imports: the standard library and internal/textdiff.
package course
