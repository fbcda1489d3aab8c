package ostepvm

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/ostepcase"
	"github.com/mkos/mkos/internal/textdiff"
)

// goldenTools are the simulators with saved runs of the real scripts in
// testdata/NAME/ (see testdata/README.md).
var goldenTools = []string{"relocation", "segmentation", "malloc", "paging-linear-translate", "paging-multilevel-translate"}

// loadCases reads the saved runs of tool.
func loadCases(t *testing.T, tool string) []ostepcase.Case {
	t.Helper()
	cases, err := ostepcase.Load(filepath.Join("testdata", tool, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("%s: %d saved runs, want at least 10", tool, len(cases))
	}
	return cases
}

func toolMain(name string) func([]string, *bytes.Buffer, *bytes.Buffer) int {
	for _, t := range Tools {
		if t.Name == name {
			return func(a []string, o, e *bytes.Buffer) int { return t.Main(a, o, e) }
		}
	}
	return nil
}

// TestGolden runs every saved run of the real scripts (testdata/TOOL/*.txt)
// and wants the same standard output, byte for byte, and exit status.
func TestGolden(t *testing.T) {
	for _, tool := range goldenTools {
		for _, c := range loadCases(t, tool) {
			t.Run(tool+"/"+c.Name, func(t *testing.T) {
				if c.Tool != tool+".py" {
					t.Fatalf("%s: tool %s, want %s.py", c.File, c.Tool, tool)
				}
				var out, errw bytes.Buffer
				st := toolMain(tool)(c.Args, &out, &errw)
				if st != c.Status {
					t.Errorf("%s %s: status = %d, want %d (stderr %q)", tool, strings.Join(c.Args, " "), st, c.Status, errw.String())
				}
				if out.String() != c.Out {
					t.Errorf("%s %s: %s", tool, strings.Join(c.Args, " "), textdiff.FirstLine(out.String(), c.Out))
				}
			})
		}
	}
}

// solved are the saved runs of tool that ended well with -c.
func solved(t *testing.T, tool string) []ostepcase.Case {
	var cs []ostepcase.Case
	for _, c := range loadCases(t, tool) {
		if c.Status == 0 && slices.Contains(c.Args, "-c") {
			cs = append(cs, c)
		}
	}
	return cs
}

var (
	hexDec  = `0x([0-9a-f]+) \(decimal:? +(\d+)\)`
	regsRe  = regexp.MustCompile(`(Base|Segment [01] base)[^:]*: ` + hexDec)
	limRe   = regexp.MustCompile(`(Limit|Segment [01] limit) +: (\d+)`)
	vaRe    = regexp.MustCompile(`VA +\d+: ` + hexDec + ` --> (.*)`)
	validRe = regexp.MustCompile(`VALID(?: in SEG([01]))?: ` + hexDec)
)

// TestAnswersTranslate re-derives every -c answer of the saved runs' command
// lines from
// the registers the same output prints, by the book's rules, independently
// of the code under test.
func TestAnswersTranslate(t *testing.T) {
	var cases []ostepcase.Case
	for _, tool := range []string{"relocation", "segmentation"} {
		cases = append(cases, solved(t, tool)...)
	}
	for _, c := range cases {
		var out, errw bytes.Buffer
		toolMain(strings.TrimSuffix(c.Tool, ".py"))(c.Args, &out, &errw)
		text := out.String()
		asize := int64(1024)
		if m := regexp.MustCompile(`ARG address space size (\d+)([kmg]?)`).FindStringSubmatch(text); m != nil {
			asize, _ = strconv.ParseInt(m[1], 10, 64)
			asize <<= map[string]int{"": 0, "k": 10, "m": 20, "g": 30}[m[2]]
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
				t.Errorf("%s %s: VA %d answered %q, want %s", c.Tool, strings.Join(c.Args, " "), va, m[3], want)
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
	for _, c := range solved(t, "malloc") {
		var out, errw bytes.Buffer
		Malloc(c.Args, &out, &errw)
		args := strings.Join(c.Args, " ")
		size, base := int64(100), int64(1000)
		if m := regexp.MustCompile(`size (\d+)\nbaseAddr (\d+)`).FindStringSubmatch(out.String()); m != nil {
			size, _ = strconv.ParseInt(m[1], 10, 64)
			base, _ = strconv.ParseInt(m[2], 10, 64)
		}
		addrSort := strings.Contains(out.String(), "listOrder ADDRSORT\n")
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
				if a < base || a+n > base+size || n <= 0 {
					t.Errorf("%s: %v is outside the heap: %s", c.Name, [2]int64{a, n}, line)
				}
			}
			for i := range spans {
				for j := range spans {
					if i != j && spans[i][0] < spans[j][0]+spans[j][1] && spans[j][0] < spans[i][0]+spans[i][1] {
						t.Errorf("%s: %v and %v overlap: %s", c.Name, spans[i], spans[j], line)
					}
				}
				if addrSort && i > 0 && spans[i-1][0] >= spans[i][0] {
					t.Errorf("%s: not in address order: %s", c.Name, line)
				}
				if addrSort && i > 0 && strings.Contains(args, "-C") && spans[i-1][0]+spans[i-1][1] == spans[i][0] {
					t.Errorf("%s: -C left two touching entries: %s", c.Name, line)
				}
			}
		}
		if lists == 0 {
			t.Errorf("%s: no free list printed", c.Name)
		}
	}
}

func TestNeverLoopsForever(t *testing.T) {
	tests := []struct{ tool, args string }{
		{"relocation", "-l 20000"},
		{"segmentation", "-a 1k -p 2049 -b 0 -l 2000 -L 100"},
	}
	for _, tt := range tests {
		var out, errw bytes.Buffer
		if st := toolMain(tt.tool)(strings.Fields(tt.args), &out, &errw); st != 1 || !strings.Contains(errw.String(), "loop forever") {
			t.Errorf("%s %s = %d, stderr %q; want 1 and a loop-forever message", tt.tool, tt.args, st, errw.String())
		}
	}
}

// TestMultiLevelAnswers re-walks the page tables in the memory dump that
// paging-multilevel-translate prints, by the book's rules, for every
// address it answers.
func TestMultiLevelAnswers(t *testing.T) {
	pageRe := regexp.MustCompile(`(?m)^page +(\d+):([0-9a-f]{64})$`)
	vaRe := regexp.MustCompile(`Virtual Address 0x([0-9a-f]{4}):\n(?:.*\n)*?      --> (.*)`)
	for _, c := range solved(t, "paging-multilevel-translate") {
		var out, errw bytes.Buffer
		PagingMulti(c.Args, &out, &errw)
		text := out.String()
		var mem [4096]byte
		for _, m := range pageRe.FindAllStringSubmatch(text, -1) {
			p, _ := strconv.Atoi(m[1])
			for j := range 32 {
				b, _ := strconv.ParseUint(m[2][2*j:2*j+2], 16, 8)
				mem[p*32+j] = byte(b)
			}
		}
		var pdbr int
		fmt.Sscanf(text[strings.Index(text, "PDBR:"):], "PDBR: %d", &pdbr)
		answers := vaRe.FindAllStringSubmatch(text, -1)
		for _, m := range answers {
			va64, _ := strconv.ParseUint(m[1], 16, 16)
			va := int(va64)
			pde := mem[pdbr*32+va>>10]
			want := "Fault (page directory entry not valid)"
			if pde&0x80 != 0 {
				pte := mem[int(pde&0x7f)*32+(va>>5)&0x1f]
				want = "Fault (page table entry not valid)"
				if pte&0x80 != 0 {
					pa := int(pte&0x7f)*32 + va&0x1f
					want = fmt.Sprintf("Translates to Physical Address 0x%03x --> Value: 0x%02x", pa, mem[pa])
				}
			}
			if m[2] != want {
				t.Errorf("%s: VA 0x%04x answered %q, want %q", c.Name, va, m[2], want)
			}
		}
		if n := strings.Count(text, "Virtual Address 0x"); n != len(answers) {
			t.Errorf("%s: %d addresses, %d answers read", c.Name, n, len(answers))
		}
	}
}
