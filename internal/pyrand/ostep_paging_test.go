package pyrand

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestOSTEPPagingAddresses regenerates the page references of the seeded
// paging-policy.py cases in tests/testdata/ostep-paging, as the tool draws
// them (int(maxpage * random.random()), numaddrs times), and compares them
// with the references its trace shows.
func TestOSTEPPagingAddresses(t *testing.T) {
	files, _ := filepath.Glob("../../tests/testdata/ostep-paging/*.txt")
	if len(files) == 0 {
		t.Fatal("no cases in tests/testdata/ostep-paging")
	}
	access := regexp.MustCompile(`(?m)^Access: (\d+) `)
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		first, out, _ := strings.Cut(string(data), "\n")
		opts := pagingOpts(strings.Fields(strings.TrimPrefix(first, "# command: python3 ")))
		if opts["-a"] != "-1" || opts["-N"] != "" {
			continue // addresses given, or no trace printed
		}
		checked++
		t.Run(filepath.Base(f), func(t *testing.T) {
			seed, _ := strconv.ParseInt(opts["-s"], 10, 64)
			n, _ := strconv.Atoi(opts["-n"])
			maxpage, _ := strconv.Atoi(opts["-m"])
			r := New(seed)
			var got, want []string
			for range n {
				got = append(got, strconv.Itoa(int(float64(maxpage)*r.Random())))
			}
			for _, m := range access.FindAllStringSubmatch(out, -1) {
				want = append(want, m[1])
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("addresses = %v, want %v", got, want)
			}
		})
	}
	if checked == 0 {
		t.Fatal("no seeded cases with a trace")
	}
}

// pagingOpts parses paging-policy.py's command line, with its defaults.
func pagingOpts(args []string) map[string]string {
	opts := map[string]string{"-a": "-1", "-n": "10", "-m": "10", "-s": "0", "-N": ""}
	for i := 1; i < len(args); i++ {
		switch args[i] {
		case "-c":
		case "-N":
			opts["-N"] = "yes"
		default:
			opts[args[i]] = args[i+1]
			i++
		}
	}
	return opts
}
