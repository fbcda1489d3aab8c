package schedlab

import (
	"math"
	"math/big"
	"strconv"
)

// pyFloat formats a finite f as Python 3's str(float): "200.0", "2.5",
// "1e-05".
func pyFloat(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if f == math.Trunc(f) {
		s += ".0"
	}
	return s
}

// pyBool formats v as Python's str(bool).
func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}

// pyInt formats a finite f as Python's int(f): truncated toward zero, in
// full however large.
func pyInt(f float64) string {
	if math.Abs(f) < 1<<62 {
		return strconv.FormatInt(int64(f), 10)
	}
	i, _ := big.NewFloat(f).Int(nil)
	return i.String()
}
