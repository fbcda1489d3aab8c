// Package ostepvm holds OSTEP's address-translation homework simulators of
// the Virtualization part — vm-mechanism/relocation.py (base and bounds),
// vm-segmentation/segmentation.py, vm-freespace/malloc.py,
// vm-paging/paging-linear-translate.py and
// vm-smalltables/paging-multilevel-translate.py —
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
// Where the answer comes from: paging-linear-translate with the kernel's
// own page size (-P 4k, the default) answers from mkos's MMU
// (pagelinear_kernel.go): a kernel with the script's physical memory, a
// pager that maps each valid page to the frame the script drew, and the
// kernel's walk of that task's page table (kernel.Translate) for each
// address. The other translations are the book's models computed here in
// user space: their machines have page sizes and entry formats of their
// own (paging-multilevel-translate's 32-byte pages of one-byte entries),
// which the kernel's fixed 4 KiB pages and 32-bit entries cannot hold.
// paging-multilevel-translate's page tables do live in its physical
// memory, as bytes, and are walked level by level (pagemulti.go), as an
// MMU does.
//
// It owns: the size syntax the tools share (convert.go), and one file per
// tool (relocation.go, segmentation.go, malloc.go, pagelinear.go and
// pagelinear_kernel.go, pagemulti.go). The
// allocator of malloc.go is the book's free-list model in user space.
//
// Imports: kernel, ipc, ipc/linux, lab/optparse, lab/osteptool and
// internal/pyrand.
package ostepvm
