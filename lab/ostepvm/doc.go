// Package ostepvm holds OSTEP's address-translation homework simulators of
// the Virtualization part — vm-mechanism/relocation.py (base and bounds),
// vm-segmentation/segmentation.py, vm-freespace/malloc.py and
// vm-paging/paging-linear-translate.py —
// behind `mkos ostep NAME FLAGS…`: the same flags (parsed by lab/optparse as
// Python's optparse would), the same random draws (internal/pyrand), the
// same output and the same early exits.
//
// Verified: every tool prints what the real script prints, byte for byte,
// and exits with its status, for the README examples of its homework
// directory, the homework questions' command lines and edge cases (zero
// and boundary sizes, bad flags, the scripts' own error exits and Python
// exceptions): testdata/NAME/*.txt are saved runs of the scripts
// (testdata/README.md says which commit and how to regenerate them), and
// TestGolden compares. The other tests check the answers independently,
// by the book's rules (TestAnswersTranslate, TestLinearAnswers,
// TestMallocFreeLists).
//
// The translations are the book's models computed here in user space; they
// do not yet go through the kernel's MMU (kernel.Translate), whose page
// size is fixed.
//
// It owns: the size syntax the tools share (convert.go), and one file per
// tool (relocation.go, segmentation.go, malloc.go, pagelinear.go). The
// allocator of malloc.go is the book's free-list model in user space.
//
// Imports: lab/optparse, lab/osteptool and internal/pyrand.
package ostepvm
