package letters

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// numsAsFirstWritten is nums as first written, with fmt: the reference.
func numsAsFirstWritten(v ...float64) string {
	s := make([]string, len(v))
	for i, f := range v {
		s[i] = strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", f), "0"), ".")
		if s[i] == "-0" || s[i] == "" {
			s[i] = "0"
		}
	}
	return strings.Join(s, " ")
}

// TestNumsAsFirstWritten: nums writes every number as the fmt version did.
func TestNumsAsFirstWritten(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.00004, 0.00005, -0.00005, 0.00006, 10, 100, 1e6, 1e21, -1e21,
		595.276, 841.89, 1.23456789, -12.25, 0.1, 0.99995, 9.99995, 14400, math.NaN(), math.Inf(1), math.Inf(-1),
		math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		f := (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(12)-4))
		if r.IntN(4) == 0 {
			f = math.Round(f*1e4) / 1e4
		}
		vals = append(vals, f)
	}
	for _, f := range vals {
		if got, want := nums(f), numsAsFirstWritten(f); got != want {
			t.Errorf("nums(%v) = %q, want %q", f, got, want)
		}
	}
	if got, want := nums(vals[:30]...), numsAsFirstWritten(vals[:30]...); got != want {
		t.Errorf("nums(…) = %q, want %q", got, want)
	}
	if got := nums(); got != "" {
		t.Errorf("nums() = %q", got)
	}
}
