package ostepfs

import "testing"

// TestChecksum compares checksum.py's saved runs: the README examples,
// sizes from none to sixteen bytes, values the sums tell apart or not,
// values past a byte and negative ones, and the errors.
func TestChecksum(t *testing.T) {
	checkGolden(t, "checksum", Checksum, []golden{
		{"readme-default", 0},
		{"readme-s1", 0},
		{"readme-D2", 0},
		{"readme-D1234", 0},
		{"readme-D1234-c", 0},
		{"default-c", 0},
		{"s1-c", 0},
		{"s2-d8-c", 0},
		{"d0-c", 0},
		{"d1-c", 0},
		{"d16-c", 0},
		{"zeros-c", 0},
		{"ones-c", 0},
		{"add-vs-xor-c", 0},
		{"fletcher-order-c", 0},
		{"fletcher-order2-c", 0},
		{"big-values-c", 0},
		{"negative-c", 0},
		{"sixteen-c", 0},
		{"spaces-c", 0},
		{"not-int", 1},
		{"empty-item", 1},
		{"seed-bad", 2},
		{"d-bad", 2},
		{"long-opts-c", 0},
	})
}
