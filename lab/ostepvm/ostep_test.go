package ostepvm

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/textdiff"
)

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/*.txt from this package's output")

// The saved outputs in testdata/ are mkos's own (see doc.go): they pin the
// output against regressions; they are not runs of the OSTEP scripts. What
// makes them trustworthy is checked separately: TestREADMEDraws and
// TestAnswersTranslate.
var cases = []struct {
	name, tool, args string
	status           int
}{
	{"reloc-s1", "relocation", "-s 1", 0},
	{"reloc-s1-c", "relocation", "-s 1 -c", 0},
	{"reloc-s2-n10-c", "relocation", "-s 2 -n 10 -c", 0},
	{"reloc-given-base-limit", "relocation", "-b 12288 -l 100 -c", 0},
	{"reloc-hex-base", "relocation", "-b 0x3000 -c", 1},
	{"reloc-sizes-32k-1m", "relocation", "-s 3 -a 32k -p 1m -c", 0},
	{"reloc-limit-zero", "relocation", "-l 0 -n 3 -c", 0},
	{"reloc-n0", "relocation", "-n 0 -c", 0},
	{"reloc-psize-1", "relocation", "-p 1", 1},
	{"reloc-asize-0", "relocation", "-a 0", 1},
	{"reloc-psize-le-asize", "relocation", "-a 16k -p 16k", 1},
	{"reloc-no-fit", "relocation", "-b 16000 -l 1000", 1},
	{"reloc-bad-seed", "relocation", "-s x", 2},
	{"reloc-bad-size", "relocation", "-a 1x", 1},
	{"seg-s0", "segmentation", "-s 0", 0},
	{"seg-s0-c", "segmentation", "-s 0 -c", 0},
	{"seg-s1-c", "segmentation", "-s 1 -c", 0},
	{"seg-given", "segmentation", "-a 128 -p 512 -b 0 -l 20 -B 512 -L 20 -A 0,19,20,107,108,127 -c", 0},
	{"seg-A-out-of-range", "segmentation", "-a 128 -p 512 -A 0,128 -c", 1},
	{"seg-A-negative", "segmentation", "-A -1,5 -c", 1},
	{"seg-len-too-large", "segmentation", "-l 600", 1},
	{"seg-overlap", "segmentation", "-b 100 -l 100 -B 250 -L 100", 1},
	{"seg-n8-s5", "segmentation", "-s 5 -n 8 -c", 0},
	{"seg-A-not-int", "segmentation", "-A 1,x", 1},
	{"seg-big", "segmentation", "-s 7 -a 16k -p 1m -c", 0},
	{"pl-s0", "paging-linear-translate", "", 0},
	{"pl-s0-v-c", "paging-linear-translate", "-v -c", 0},
	{"pl-s1-P1k-a16k-p32k-v-c", "paging-linear-translate", "-s 1 -P 1k -a 16k -p 32k -v -c", 0},
	{"pl-u0", "paging-linear-translate", "-u 0 -c", 0},
	{"pl-u100", "paging-linear-translate", "-u 100 -v -c", 0},
	{"pl-A", "paging-linear-translate", "-A 0,4095,4096,16383 -c", 0},
	{"pl-A-out", "paging-linear-translate", "-A 16384 -c", 1},
	{"pl-not-pow2", "paging-linear-translate", "-a 12k", 1},
	{"pl-not-multiple", "paging-linear-translate", "-P 3k", 1},
	{"pl-1g", "paging-linear-translate", "-p 1g", 1},
	{"pl-pagesize-0", "paging-linear-translate", "-P 0", 1},
	{"pl-s3-n10", "paging-linear-translate", "-s 3 -n 10 -a 32k -p 1m -P 2k -c", 0},
	{"malloc-readme", "malloc", "-n 10 -H 0 -p BEST -s 0", 0},
	{"malloc-readme-c", "malloc", "-n 10 -H 0 -p BEST -s 0 -c", 0},
	{"malloc-worst-c", "malloc", "-n 20 -p WORST -s 1 -c", 0},
	{"malloc-first-c", "malloc", "-n 20 -p FIRST -s 2 -c", 0},
	{"malloc-coalesce-c", "malloc", "-n 30 -C -s 3 -c", 0},
	{"malloc-header-align-c", "malloc", "-n 15 -H 4 -a 4 -s 4 -c", 0},
	{"malloc-sizesort-c", "malloc", "-n 20 -l SIZESORT+ -s 5 -c", 0},
	{"malloc-sizesort-desc-c", "malloc", "-n 20 -l SIZESORT- -s 5 -c", 0},
	{"malloc-insert-front-c", "malloc", "-n 20 -l INSERT-FRONT -C -s 6 -c", 0},
	{"malloc-insert-back-c", "malloc", "-n 20 -l INSERT-BACK -s 6 -c", 0},
	{"malloc-full-c", "malloc", "-S 10 -n 12 -r 8 -P 90 -s 7 -c", 0},
	{"malloc-list-c", "malloc", "-A +10,+20,-0,+5,-1,-7,+100 -c", 0},
	{"malloc-list-bad-op", "malloc", "-A +10,x3", 1},
	{"malloc-percent-0", "malloc", "-P 0", 1},
}

func toolMain(name string) func([]string, *bytes.Buffer, *bytes.Buffer) int {
	for _, t := range Tools {
		if t.Name == name {
			return func(a []string, o, e *bytes.Buffer) int { return t.Main(a, o, e) }
		}
	}
	return nil
}

func TestSavedOutputs(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			st := toolMain(c.tool)(strings.Fields(c.args), &out, &errw)
			if st != c.status {
				t.Errorf("%s %s: status %d, want %d (stderr %q)", c.tool, c.args, st, c.status, errw.String())
			}
			file := filepath.Join("testdata", c.name+".txt")
			text := fmt.Sprintf("# mkos ostep %s %s\n%s", c.tool, c.args, out.String())
			if *rewrite {
				os.WriteFile(file, []byte(text), 0o644)
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if text != string(want) {
				t.Errorf("%s %s: %s", c.tool, c.args, textdiff.FirstLine(text, string(want)))
			}
		})
	}
}

// TestREADMEDraws checks the draws against the numbers of the scripts'
// README examples (the only real output known for these tools).
func TestREADMEDraws(t *testing.T) {
	tests := []struct {
		tool, args string
		lines      []string
	}{
		{"relocation", "-s 1", []string{"  Base   : 0x0000363c (decimal 13884)", "  Limit  : 290", "  VA  0: 0x0000030e (decimal:  782) --> PA or segmentation violation?"}},
		{"segmentation", "-s 0 -c", []string{"  Segment 0 base  (grows positive) : 0x00001aea (decimal 6890)", "  Segment 1 limit                  : 450",
			"  VA  0: 0x0000020b (decimal:  523) --> SEGMENTATION VIOLATION (SEG1)", "  VA  1: 0x0000019e (decimal:  414) --> VALID in SEG0: 0x00001c88 (decimal: 7304)"}},
		{"malloc", "-n 10 -H 0 -p BEST -s 0 -c", []string{"ptr[0] = Alloc(3) returned 1000 (searched 1 elements)", "Free List [ Size 1 ]: [ addr:1003 sz:97 ]",
			"Free(ptr[0]) returned 0", "ptr[1] = Alloc(5) returned 1003 (searched 2 elements)"}},
		{"paging-linear-translate", "-v -c", []string{"  [       0]  0x8000000c", "  [       3]  0x80000006",
			"  VA 0x00003229 (decimal:    12841) --> 00006229 (decimal    25129) [VPN 3]"}},
	}
	for _, tt := range tests {
		var out, errw bytes.Buffer
		toolMain(tt.tool)(strings.Fields(tt.args), &out, &errw)
		for _, l := range tt.lines {
			if !strings.Contains(out.String(), l+"\n") {
				t.Errorf("%s %s: output lacks %q; got\n%s", tt.tool, tt.args, l, out.String())
			}
		}
	}
}

var (
	hexDec  = `0x([0-9a-f]+) \(decimal:? +(\d+)\)`
	regsRe  = regexp.MustCompile(`(Base|Segment [01] base)[^:]*: ` + hexDec)
	limRe   = regexp.MustCompile(`(Limit|Segment [01] limit) +: (\d+)`)
	vaRe    = regexp.MustCompile(`VA +\d+: ` + hexDec + ` --> (.*)`)
	validRe = regexp.MustCompile(`VALID(?: in SEG([01]))?: ` + hexDec)
)

// TestAnswersTranslate re-derives every -c answer of the saved cases from
// the registers the same output prints, by the book's rules, independently
// of the code under test.
func TestAnswersTranslate(t *testing.T) {
	for _, c := range cases {
		if c.status != 0 || !strings.Contains(c.args, "-c") || c.tool == "paging-linear-translate" {
			continue
		}
		var out, errw bytes.Buffer
		toolMain(c.tool)(strings.Fields(c.args), &out, &errw)
		text := out.String()
		asize := int64(1024)
		if m := regexp.MustCompile(`-a (\d+)(k?)`).FindStringSubmatch(c.args); m != nil {
			asize, _ = strconv.ParseInt(m[1], 10, 64)
			if m[2] == "k" {
				asize *= 1024
			}
		}
		var bases, lims []int64
		for _, m := range regsRe.FindAllStringSubmatch(text, -1) {
			n, _ := strconv.ParseInt(m[3], 10, 64)
			bases = append(bases, n)
		}
		for _, m := range limRe.FindAllStringSubmatch(text, -1) {
			n, _ := strconv.ParseInt(m[2], 10, 64)
			lims = append(lims, n)
		}
		for _, m := range vaRe.FindAllStringSubmatch(text, -1) {
			va, _ := strconv.ParseInt(m[2], 10, 64)
			want := "violation"
			switch {
			case len(bases) == 1 && va < lims[0]:
				want = fmt.Sprint(bases[0] + va)
			case len(bases) == 2 && va < asize/2 && va < lims[0]:
				want = fmt.Sprint(bases[0] + va)
			case len(bases) == 2 && va >= asize/2 && asize-va <= lims[1]:
				want = fmt.Sprint(bases[1] - (asize - va))
			}
			got := "violation"
			if v := validRe.FindStringSubmatch(m[3]); v != nil {
				got = v[3]
			}
			if got != want {
				t.Errorf("%s %s: VA %d answered %q, want %s", c.tool, c.args, va, m[3], want)
			}
		}
	}
}

// TestLinearAnswers re-derives paging-linear-translate's answers from the
// page table it prints (-v).
func TestLinearAnswers(t *testing.T) {
	for _, args := range []string{"-v -c", "-s 1 -P 1k -a 16k -p 32k -v -c", "-u 100 -v -c", "-s 9 -n 20 -v -c"} {
		var out, errw bytes.Buffer
		PagingLinear(strings.Fields(args), &out, &errw)
		pt := map[int64]int64{}
		for _, m := range regexp.MustCompile(`\[ *(\d+)\]  0x([0-9a-f]{8})`).FindAllStringSubmatch(out.String(), -1) {
			vpn, _ := strconv.ParseInt(m[1], 10, 64)
			pte, _ := strconv.ParseInt(m[2], 16, 64)
			pt[vpn] = pte
		}
		page := int64(4096)
		if strings.Contains(args, "-P 1k") {
			page = 1024
		}
		for _, m := range regexp.MustCompile(`VA 0x[0-9a-f]+ \(decimal: +(\d+)\) --> +(.*)`).FindAllStringSubmatch(out.String(), -1) {
			va, _ := strconv.ParseInt(m[1], 10, 64)
			pte := pt[va/page]
			want := fmt.Sprintf("Invalid (VPN %d not valid)", va/page)
			if pte&0x80000000 != 0 {
				pa := (pte&0x7fffffff)*page + va%page
				want = fmt.Sprintf("%08x (decimal %8d) [VPN %d]", pa, pa, va/page)
			}
			if m[2] != want {
				t.Errorf("PagingLinear(%s): VA %d = %q, want %q", args, va, m[2], want)
			}
		}
		if len(pt) == 0 {
			t.Errorf("PagingLinear(%s): no page table printed", args)
		}
	}
}

// TestMallocFreeLists reads every free list a -c run prints and checks
// the book's allocator: entries inside the heap, never overlapping, in
// address order under ADDRSORT, and with -C never two that touch.
func TestMallocFreeLists(t *testing.T) {
	entry := regexp.MustCompile(`\[ addr:(\d+) sz:(\d+) \]`)
	for _, c := range cases {
		if c.tool != "malloc" || c.status != 0 || !strings.Contains(c.args, "-c") {
			continue
		}
		var out, errw bytes.Buffer
		Malloc(strings.Fields(c.args), &out, &errw)
		size := int64(100)
		if m := regexp.MustCompile(`-S (\d+)`).FindStringSubmatch(c.args); m != nil {
			size, _ = strconv.ParseInt(m[1], 10, 64)
		}
		addrSort := !strings.Contains(c.args, "-l ")
		lists := 0
		for _, line := range strings.Split(out.String(), "\n") {
			if !strings.HasPrefix(line, "Free List") {
				continue
			}
			lists++
			var spans [][2]int64
			for _, m := range entry.FindAllStringSubmatch(line, -1) {
				a, _ := strconv.ParseInt(m[1], 10, 64)
				n, _ := strconv.ParseInt(m[2], 10, 64)
				spans = append(spans, [2]int64{a, n})
				if a < 1000 || a+n > 1000+size || n <= 0 {
					t.Errorf("%s: %v is outside the heap: %s", c.name, [2]int64{a, n}, line)
				}
			}
			for i := range spans {
				for j := range spans {
					if i != j && spans[i][0] < spans[j][0]+spans[j][1] && spans[j][0] < spans[i][0]+spans[i][1] {
						t.Errorf("%s: %v and %v overlap: %s", c.name, spans[i], spans[j], line)
					}
				}
				if addrSort && i > 0 && spans[i-1][0] >= spans[i][0] {
					t.Errorf("%s: not in address order: %s", c.name, line)
				}
				if addrSort && i > 0 && strings.Contains(c.args, "-C") && spans[i-1][0]+spans[i-1][1] == spans[i][0] {
					t.Errorf("%s: -C left two touching entries: %s", c.name, line)
				}
			}
		}
		if lists == 0 {
			t.Errorf("%s: no free list printed", c.name)
		}
	}
}

func TestNeverLoopsForever(t *testing.T) {
	tests := []struct{ tool, args string }{
		{"relocation", "-l 20000"},
		{"segmentation", "-a 1k -p 1100 -b 100 -l 500 -L 500"},
	}
	for _, tt := range tests {
		var out, errw bytes.Buffer
		if st := toolMain(tt.tool)(strings.Fields(tt.args), &out, &errw); st != 1 || !strings.Contains(errw.String(), "loop forever") {
			t.Errorf("%s %s = %d, stderr %q; want 1 and a loop-forever message", tt.tool, tt.args, st, errw.String())
		}
	}
}
