package schedlab

import (
	"math"
	"math/big"
	"strconv"
)

// pyInt formats a finite f as Python's int(f): truncated toward zero, in
// full however large.
func pyInt(f float64) string {
	if math.Abs(f) < 1<<62 {
		return strconv.FormatInt(int64(f), 10)
	}
	i, _ := big.NewFloat(f).Int(nil)
	return i.String()
}
