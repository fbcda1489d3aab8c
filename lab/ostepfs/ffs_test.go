package ostepfs

import "testing"

// TestFfs compares ffs.py's saved runs: the README examples and the
// homework's command files (testdata/ffs/inputs/in.*, from the OSTEP
// repository) with the large-file exception, contiguous allocation,
// spread inodes and data, groups examined at a time, spans and symbol
// maps; command files of our own (mkos.*) for deletes, failures, full
// disks, odd layouts; and the script's errors and crashes.
func TestFfs(t *testing.T) {
	checkGolden(t, "ffs", Ffs, []golden{
		{"readme-example1-c", 0},
		{"readme-example1", 0},
		{"readme-example1-c-M", 0},
		{"hw-manyfiles", 0},
		{"hw-manyfiles-c-T", 0},
		{"hw-manyfiles-I-c-T", 0},
		{"hw-largefile-L4-c", 0},
		{"hw-largefile-L4-c-T", 0},
		{"hw-largefile-L100-c-T", 0},
		{"hw-largefile-L0-c-T", 0},
		{"hw-medfile-L4-c-S", 0},
		{"hw-fragmented-c-v", 0},
		{"hw-fragmented-C2-c-v", 0},
		{"hw-fragmented-C3-c-S", 0},
		{"hw-manyfiles-A2-c-T", 0},
		{"hw-manyfiles-A3-c-T", 0},
		{"hw-example2-D-c", 0},
		{"hw-manyfiles-D-c-B", 0},
		{"empty-c", 0},
		{"empty-T", 0},
		{"ops-v-c-M", 1},
		{"ops-B-S", 1},
		{"dirs-c-T", 0},
		{"dirs-T", 0},
		{"delete-c-S", 0},
		{"delete-n5-d10", 0},
		{"manydirs-c-T", 0},
		{"manydirs-small", 0},
		{"spaces-c-M", 0},
		{"small-groups-c", 0},
		{"wide-c", 0},
		{"full-v", 0},
		{"zero-size", 1},
		{"exists-v", 0},
		{"under-file", 1},
		{"bad-cmd", 1},
		{"bad-args", 1},
		{"bad-size", 1},
		{"no-file", 1},
		{"missing-file", 1},
		{"A0", 1},
		{"groups0", 1},
		{"seed-bad", 2},
		{"long-opts", 0},
	})
}
