package ostepfs

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// diskParser is disk.py's command line.
var diskParser = &optparse.Parser{Prog: "disk.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "Random seed"},
	{Short: "-a", Long: "--addr", Dest: "addr", Default: "-1", Help: "Request list (comma-separated) [-1 -> use addrDesc]"},
	{Short: "-A", Long: "--addrDesc", Dest: "addrDesc", Default: "5,-1,0", Help: "Num requests, max request (-1->all), min request"},
	{Short: "-S", Long: "--seekSpeed", Dest: "seekSpeed", Default: "1", Help: "Speed of seek"},
	{Short: "-R", Long: "--rotSpeed", Dest: "rotateSpeed", Default: "1", Help: "Speed of rotation"},
	{Short: "-p", Long: "--policy", Dest: "policy", Default: "FIFO", Help: "Scheduling policy (FIFO, SSTF, SATF, BSATF)"},
	{Short: "-w", Long: "--schedWindow", Dest: "window", Kind: optparse.IntKind, Default: "-1", Help: "Size of scheduling window (-1 -> all)"},
	{Short: "-o", Long: "--skewOffset", Dest: "skew", Kind: optparse.IntKind, Default: "0", Help: "Amount of skew (in blocks)"},
	{Short: "-z", Long: "--zoning", Dest: "zoning", Default: "30,30,30", Help: "Angles between blocks on outer,middle,inner tracks"},
	{Short: "-G", Long: "--graphics", Dest: "graphics", Kind: optparse.True, Default: "False", Help: "Turn on graphics"},
	{Short: "-l", Long: "--lateAddr", Dest: "lateAddr", Default: "-1", Help: "Late: request list (comma-separated) [-1 -> random]"},
	{Short: "-L", Long: "--lateAddrDesc", Dest: "lateAddrDesc", Default: "0,-1,0", Help: "Num requests, max request (-1->all), min request"},
	{Short: "-c", Long: "--compute", Dest: "compute", Kind: optparse.True, Default: "False", Help: "Compute the answers"},
}}

// Disk is file-disks/disk.py without its Tk animation (-G is refused):
// requests to a three-track disk served by FIFO, SSTF, SATF or BSATF, and
// with -c the seek, rotation and transfer time of each.
func Disk(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(diskParser, args, out, errw)
	if done {
		return status
	}
	if v.Bool("graphics") {
		fmt.Fprintln(errw, "mkos ostep disk: -G (disk.py's Tk animation) is not supported; -c prints the same times")
		return 1
	}
	for _, o := range []string{"seed", "addr", "addrDesc", "seekSpeed", "rotateSpeed", "skew", "window", "policy", "compute", "graphics", "zoning", "lateAddr", "lateAddrDesc"} {
		fmt.Fprintf(out, "OPTIONS %s %s\n", o, diskOption(v, o))
	}
	fmt.Fprintln(out)
	if v.Int("window") == 0 {
		fmt.Fprintf(out, "Scheduling window (%d) must be positive or -1 (which means a full window)\n", v.Int("window"))
		return 1
	}
	d, err := newDisk(v, out)
	if err == nil {
		err = d.run()
	}
	if err != nil {
		if ex, ok := err.(diskExit); ok {
			return int(ex)
		}
		return osteptool.Traceback(errw, "disk.py", err)
	}
	return 0
}

// diskOption is print()'s text of option o.
func diskOption(v *optparse.Values, o string) string {
	switch o {
	case "seed", "skew", "window":
		return strconv.FormatInt(v.Int(o), 10)
	case "compute", "graphics":
		return osteptool.PyBool(v.Bool(o))
	}
	return v.Str(o)
}

// diskExit is sys.exit(status) after the script printed why.
type diskExit int

func (e diskExit) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// errDiskForever is a case the script would never finish: a platter
// that does not turn forwards never brings a block under the head.
var errDiskForever = fmt.Errorf("the script would loop forever here (a rotation that never reaches its block)")

// maxDiskTicks bounds a run; the script would take hours to get there.
const maxDiskTicks = 1 << 28

// errDiskTooLong is a run past maxDiskTicks.
var errDiskTooLong = fmt.Errorf("the requests take more than %d time units (a tiny rotation or seek speed); mkos stops here", maxDiskTicks)

// The states of a request, as disk.py numbers them.
const (
	stateNull = iota
	stateSeek
	stateRotate
	stateXfer
	stateDone
)

// diskBlock is a queued request's block: an int, or the unparsed string
// disk.py queues for a late request given with -l (a KeyError when used).
type diskBlock struct {
	n     int64
	s     string
	isStr bool
}

func (b diskBlock) repr() string {
	if b.isStr {
		return optparse.Repr(b.s)
	}
	return strconv.FormatInt(b.n, 10)
}

// diskReq is one entry of the request queue.
type diskReq struct {
	block diskBlock
	index int
}

// diskLayout is where each block is: its track and its angle.
type diskLayout struct {
	track, angle map[int64]int64
	begin, end   [3]int64 // first and last block of each track
	offset       [3]int64 // half the angle between blocks, per track
	maxBlock     int64    // disk.py's: the first block of the inner track
}

// disk is disk.py's Disk object: the layout, the queue and the animation.
type disk struct {
	out                         io.Writer
	compute                     bool
	policy                      string
	seekSpeed, rotSpeed         float64
	window, fairWindow, curWin  int64
	lay                         diskLayout
	queue                       []diskReq
	state                       []int
	late                        []diskBlock
	lateCount, requestCount     int
	current                     diskBlock
	currentIndex                int
	timer                       int64
	angle                       float64
	armTrack, armTarget         int64
	armX1, armTargetX1, armStep float64
	seekBegin, rotBegin, xfer   int64
	seekTotal, rotTotal, xferTo float64
	done                        bool
}

// trackRadius is disk.py's distance of each track from the spindle, and
// trackWidth the width of one.
var trackRadius = [3]float64{140, 100, 60}

const trackWidth = 40.0

func newDisk(v *optparse.Values, out io.Writer) (*disk, error) {
	seek, err := pyFloat(v.Str("seekSpeed"))
	if err != nil {
		return nil, err
	}
	rot, err := pyFloat(v.Str("rotateSpeed"))
	if err != nil {
		return nil, err
	}
	d := &disk{out: out, compute: v.Bool("compute"), policy: v.Str("policy"), seekSpeed: seek, rotSpeed: rot, window: v.Int("window")}
	if d.lay, err = layoutDisk(v.Str("zoning"), v.Int("skew"), out); err != nil {
		return nil, err
	}
	r := pyrand.New(v.Int("seed"))
	reqs, err := d.makeRequests(r, v.Str("addr"), v.Str("addrDesc"))
	if err != nil {
		return nil, err
	}
	if d.late, err = d.makeRequests(r, v.Str("lateAddr"), v.Str("lateAddrDesc")); err != nil {
		return nil, err
	}
	if d.policy == "BSATF" && d.window != -1 {
		d.fairWindow = d.window
	} else {
		d.fairWindow = -1
	}
	fmt.Fprintf(out, "REQUESTS %s\n\n", blockList(reqs))
	if len(d.late) > 0 {
		fmt.Fprintf(out, "LATE REQUESTS %s\n\n", blockList(d.late))
	}
	if !d.compute {
		fmt.Fprint(out, "\nFor the requests above, compute the seek, rotate, and transfer times.\nUse -c or the graphical mode (-G) to see the answers.\n\n")
	}
	if err := d.checkSeekSpeed(); err != nil {
		return nil, err
	}
	for _, b := range reqs {
		if b.isStr {
			n, err := pyInt(b.s)
			if err != nil {
				return nil, err
			}
			b = diskBlock{n: n}
		}
		d.addRequest(b)
	}
	d.curWin = d.window
	d.armX1 = 250.0 - trackRadius[0]*math.Cos(0) - 20
	d.armStep = seek
	return d, nil
}

// checkSeekSpeed is disk.py's demand that a seek step divide the track
// width evenly.
func (d *disk) checkSeekSpeed() error {
	s := d.seekSpeed
	if s > 1 && math.Mod(trackWidth, s) != 0 {
		fmt.Fprintf(d.out, "Seek speed (%d) must divide evenly into track width (%d)\n", int64(s), int64(trackWidth))
		return diskExit(1)
	}
	if s < 1 {
		if s == 0 {
			return osteptool.PyError("ZeroDivisionError: float division by zero")
		}
		x := trackWidth / s
		if x != float64(int64(trackWidth/s)) {
			fmt.Fprintf(d.out, "Seek speed (%f) must divide evenly into track width (%d)\n", s, int64(trackWidth))
			return diskExit(1)
		}
	}
	return nil
}

// blockList is print()'s text of a request list.
func blockList(bs []diskBlock) string {
	items := make([]string, len(bs))
	for i, b := range bs {
		items[i] = b.repr()
	}
	return pyList(items)
}

// layoutDisk is InitBlockLayout: the blocks of the outer, middle and
// inner track, with the lines it prints as it goes.
func layoutDisk(zoning string, skew int64, out io.Writer) (diskLayout, error) {
	lay := diskLayout{track: map[int64]int64{}, angle: map[int64]int64{}}
	zones := strings.Split(zoning, ",")
	if len(zones) != 3 {
		return lay, osteptool.PyError("AssertionError")
	}
	for i, z := range zones {
		fmt.Fprintln(out, "z", i, z)
		n, err := pyInt(z)
		if err != nil {
			return lay, err
		}
		lay.offset[i] = floorDiv(n, 2)
	}
	var block, pblock int64
	haveBlock := false
	for track := int64(0); track < 3; track++ {
		step := 2 * lay.offset[track]
		trackSkew := track * skew
		angles, err := pyRange(0, 360, step)
		if err != nil {
			return lay, err
		}
		for _, angle := range angles {
			block = angle/step + pblock
			haveBlock = true
			if track == 0 {
				fmt.Fprintln(out, track, step, block)
			} else {
				fmt.Fprintln(out, track, trackSkew, step, block)
			}
			lay.track[block] = track
			lay.angle[block] = angle + step*trackSkew
		}
		if !haveBlock {
			return lay, osteptool.PyError("UnboundLocalError: cannot access local variable 'block' where it is not associated with a value")
		}
		lay.begin[track], lay.end[track] = pblock, block
		if track < 2 {
			pblock = block + 1
		}
	}
	lay.maxBlock = pblock
	for b, a := range lay.angle {
		lay.angle[b] = floorMod(a+180, 360)
	}
	return lay, nil
}

// makeRequests is MakeRequests: addr's list as given (strings), or
// desc's "count,max,min" drawn at random.
func (d *disk) makeRequests(r *pyrand.Rand, addr, desc string) ([]diskBlock, error) {
	var bs []diskBlock
	if addr != "-1" {
		for _, s := range strings.Split(addr, ",") {
			bs = append(bs, diskBlock{s: s, isStr: true})
		}
		return bs, nil
	}
	f := strings.Split(desc, ",")
	if len(f) != 3 {
		fmt.Fprintf(d.out, "Bad address description (%s)\n", desc)
		fmt.Fprint(d.out, `The address description must be a comma-separated list of length three, without spaces.
For example, "10,100,0" would indicate that 10 addresses should be generated, with
100 as the maximum value, and 0 as the minumum. A max of -1 means just use the highest
possible value as the max address to generate.
`)
		return nil, diskExit(1)
	}
	var n [3]int64
	for i := range f {
		var err error
		if n[i], err = pyInt(f[i]); err != nil {
			return nil, err
		}
	}
	if n[1] == -1 {
		n[1] = d.lay.maxBlock
	}
	for i := int64(0); i < n[0]; i++ {
		bs = append(bs, diskBlock{n: int64(r.Random()*float64(n[1])) + n[2]})
	}
	return bs, nil
}

func (d *disk) addRequest(b diskBlock) {
	d.queue = append(d.queue, diskReq{b, len(d.queue)})
	d.state = append(d.state, stateNull)
}

// lookup is blockToTrackMap and blockToAngleMap of b: a KeyError when the
// disk has no such block.
func (d *disk) lookup(b diskBlock) (track, angle int64, err error) {
	if b.isStr {
		return 0, 0, osteptool.PyError("KeyError: " + b.repr())
	}
	track, ok := d.lay.track[b.n]
	if !ok {
		return 0, 0, osteptool.PyError("KeyError: " + b.repr())
	}
	return track, d.lay.angle[b.n], nil
}
