// Package ostepvm holds OSTEP's address-translation homework simulators of
// the Virtualization part — vm-mechanism/relocation.py (base and bounds),
// vm-segmentation/segmentation.py, vm-freespace/malloc.py and
// vm-paging/paging-linear-translate.py —
// behind `mkos ostep NAME FLAGS…`: the same flags (parsed by lab/optparse as
// Python's optparse would), the same random draws (internal/pyrand), the
// same output and the same early exits.
//
// Provenance, stated honestly: the scripts themselves were not available
// when this package was written. Each tool is a reconstruction from the
// ostep-homework repository's scripts as the author knows them, checked
// only against the numbers of their README examples (seed 1 of
// relocation.py, seed 0 of segmentation.py, paging-linear-translate.py and
// malloc.py: limits, bases, page-table entries, addresses, allocation sizes
// and the free lists agree); the spacing of
// each line is not verified byte for byte against a real run. The tests
// (*_test.go) therefore check what can be stood behind: the draws against
// those README numbers, and the answers against an independent
// translation of every address; the saved outputs under testdata/ are
// mkos's own, kept to catch regressions, not OSTEP references. Replace them
// with real runs (internal/ostepcase's format) when the scripts are at
// hand.
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
