package ostepfs

import (
	"strings"

	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// Tools are this package's simulators, in the book's order.
var Tools = []osteptool.Tool{
	{Name: "disk", Chapter: "37 Hard Disk Drives", Main: Disk},
	{Name: "raid", Chapter: "38 Redundant Disk Arrays (RAID)", Main: Raid},
	{Name: "vsfs", Chapter: "40 File System Implementation", Main: Vsfs},
	{Name: "ffs", Chapter: "41 Locality and The Fast File System", Main: Ffs},
	{Name: "lfs", Chapter: "43 Log-structured File Systems", Main: Lfs},
	{Name: "checksum", Chapter: "45 Data Integrity and Protection", Main: Checksum},
}

// pyInt is Python's int(s), its ValueError as a PyError.
func pyInt(s string) (int64, error) {
	n, ok := optparse.Int(s)
	if !ok {
		return 0, osteptool.IntError(s)
	}
	return n, nil
}

// pyFloat is Python's float(s), its ValueError as a PyError.
func pyFloat(s string) (float64, error) {
	f, ok := optparse.PyFloat(s)
	if !ok {
		return 0, osteptool.PyError("ValueError: could not convert string to float: " + optparse.Repr(s))
	}
	return f, nil
}

// floorDiv and floorMod are Python's // and % on ints.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// pyRange is Python's range(start, stop, step) as a slice; step 0 is
// range()'s ValueError.
func pyRange(start, stop, step int64) ([]int64, error) {
	if step == 0 {
		return nil, osteptool.PyError("ValueError: range() arg 3 must not be zero")
	}
	var r []int64
	for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
		r = append(r, i)
	}
	return r, nil
}

// pyList is Python's repr of a list whose items are already repr'd.
func pyList(items []string) string { return "[" + strings.Join(items, ", ") + "]" }

// convert is the tools' size syntax: an int with an optional k, m or g
// (any case) suffix, in KiB, MiB, GiB.
func convert(size string) (int64, error) {
	if size == "" {
		return 0, osteptool.PyError("IndexError: string index out of range")
	}
	mult := map[byte]int64{'k': 1 << 10, 'K': 1 << 10, 'm': 1 << 20, 'M': 1 << 20, 'g': 1 << 30, 'G': 1 << 30}[size[len(size)-1]]
	if mult == 0 {
		return pyInt(size)
	}
	n, err := pyInt(size[:len(size)-1])
	return n * mult, err
}
