package ostepvm

import (
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// Tools are this package's simulators.
var Tools = []osteptool.Tool{
	{Name: "relocation", Chapter: "15 Address Translation", Main: Relocation},
	{Name: "segmentation", Chapter: "16 Segmentation", Main: Segmentation},
	{Name: "malloc", Chapter: "17 Free-Space Management", Main: Malloc},
	{Name: "paging-linear-translate", Chapter: "18 Paging: Introduction", Main: PagingLinear, OnKernel: "with -P 4k (the default)"},
	{Name: "paging-multilevel-translate", Chapter: "20 Paging: Smaller Tables", Main: PagingMulti},
}

// convert is the tools' convert(): a size with an optional k, m or g
// (any case) suffix, in KiB, MiB, GiB.
func convert(size string) (int64, error) {
	if size == "" {
		return 0, osteptool.PyError("IndexError: string index out of range")
	}
	mult := map[byte]int64{'k': 1 << 10, 'K': 1 << 10, 'm': 1 << 20, 'M': 1 << 20, 'g': 1 << 30, 'G': 1 << 30}[size[len(size)-1]]
	digits := size
	if mult != 0 {
		digits = size[:len(size)-1]
	} else {
		mult = 1
	}
	n, ok := optparse.Int(digits)
	if !ok {
		return 0, osteptool.IntError(digits)
	}
	return n * mult, nil
}
