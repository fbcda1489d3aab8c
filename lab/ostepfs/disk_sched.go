package ostepfs

import (
	"fmt"

	"github.com/mkos/mkos/lab/osteptool"
)

// run is Go() without graphics: the animation, one tick at a time, until
// every request is served.
func (d *disk) run() error {
	if err := d.nextIO(); err != nil {
		return err
	}
	if !d.done && !(d.rotSpeed > 0) {
		return errDiskForever
	}
	for !d.done {
		if d.timer >= maxDiskTicks {
			return errDiskTooLong
		}
		if err := d.tick(); err != nil {
			return err
		}
	}
	return nil
}

// tick is Animate: the platter turns, the arm moves, and a request moves
// on from seek to rotation to transfer to done.
func (d *disk) tick() error {
	d.timer++
	d.angle += d.rotSpeed
	if d.angle >= 360.0 {
		d.angle = 0.0
	}
	if d.state[d.currentIndex] == stateSeek && d.doneWithSeek() {
		d.rotBegin = d.timer
		d.switchState(stateRotate)
	}
	if d.state[d.currentIndex] == stateRotate && d.closeTo(d.lay.angle[d.current.n]-d.lay.offset[d.armTrack]) {
		d.xfer = d.timer
		d.switchState(stateXfer)
	}
	if d.state[d.currentIndex] != stateXfer || !d.closeTo(d.lay.angle[d.current.n]+d.lay.offset[d.armTrack]) {
		return nil
	}
	d.switchState(stateDone)
	d.requestCount++
	d.requestStats()
	d.updateWindow()
	cur := d.current.n
	if err := d.nextIO(); err != nil {
		return err
	}
	next := d.current.n
	if d.lay.track[cur] == d.lay.track[next] {
		be := [2]int64{d.lay.begin[d.armTrack], d.lay.end[d.armTrack]}
		if (cur == be[1] && next == be[0]) || cur+1 == next {
			d.rotBegin, d.seekBegin, d.xfer = d.timer, d.timer, d.timer
			d.switchState(stateXfer)
		}
	}
	return nil
}

// switchState is SwitchState: the disk's state is the current request's.
func (d *disk) switchState(s int) { d.state[d.currentIndex] = s }

// closeTo is RadiallyCloseTo(angle, target % 360).
func (d *disk) closeTo(target int64) bool {
	t := float64(floorMod(target, 360))
	v := t - d.angle
	if d.angle > t {
		v = d.angle - t
	}
	return v < d.rotSpeed
}

// doneWithSeek is DoneWithSeek: one step of the arm towards its track.
func (d *disk) doneWithSeek() bool {
	d.armX1 += d.armStep
	if (d.armStep > 0 && d.armX1 >= d.armTargetX1) || (d.armStep < 0 && d.armX1 <= d.armTargetX1) {
		d.armTrack = d.armTarget
		return true
	}
	return false
}

// planSeek is PlanSeek: start the seek to track (or the rotation, when
// the head is on it).
func (d *disk) planSeek(track int64) {
	d.seekBegin = d.timer
	d.switchState(stateSeek)
	if track == d.armTrack {
		d.rotBegin = d.timer
		d.switchState(stateRotate)
		return
	}
	d.armTarget = track
	d.armTargetX1 = 250.0 - trackRadius[track] - trackWidth/2.0
	d.armStep = d.seekSpeed
	if track < d.armTrack {
		d.armStep = -d.seekSpeed
	}
}

// requestStats is DoRequestStats: one request's times.
func (d *disk) requestStats() {
	seek, rot, xfer := d.rotBegin-d.seekBegin, d.xfer-d.rotBegin, d.timer-d.xfer
	if d.compute {
		fmt.Fprintf(d.out, "Block: %3d  Seek:%3d  Rotate:%3d  Transfer:%3d  Total:%4d\n", d.current.n, seek, rot, xfer, d.timer-d.seekBegin)
	}
	d.seekTotal += float64(seek)
	d.rotTotal += float64(rot)
	d.xferTo += float64(xfer)
}

// nextIO is GetNextIO: the totals when every request is served, else the
// policy's pick, its seek planned, and one late request queued.
func (d *disk) nextIO() error {
	if d.requestCount == len(d.queue) {
		if d.compute {
			fmt.Fprintf(d.out, "\nTOTALS      Seek:%3d  Rotate:%3d  Transfer:%3d  Total:%4d\n\n", int64(d.seekTotal), int64(d.rotTotal), int64(d.xferTo), d.timer)
		}
		d.done = true
		return nil
	}
	var err error
	var pick diskReq
	switch d.policy {
	case "FIFO":
		pick = d.queue[d.requestCount]
		_, err = d.satf(d.queue[d.requestCount : d.requestCount+1])
	case "SATF", "BSATF":
		end := min(d.getWindow(), int64(len(d.queue)))
		pick, err = d.satf(d.queue[:end])
	case "SSTF":
		var list []diskReq
		if list, err = d.sstf(d.queue[:min(d.getWindow(), int64(len(d.queue)))]); err == nil {
			pick, err = d.satf(list)
		}
	default:
		fmt.Fprintf(d.out, "policy (%s) not implemented\n", d.policy)
		return diskExit(1)
	}
	if err != nil {
		return err
	}
	d.current, d.currentIndex = pick.block, pick.index
	d.planSeek(d.lay.track[d.current.n])
	if d.lateCount < len(d.late) {
		d.addRequest(d.late[d.lateCount])
		d.lateCount++
	}
	return nil
}

// getWindow is GetWindow: how far into the queue the policy may look.
func (d *disk) getWindow() int64 {
	if d.curWin <= -1 {
		return int64(len(d.queue))
	}
	if d.fairWindow != -1 && d.requestCount > 0 && int64(d.requestCount)%d.fairWindow == 0 {
		d.curWin += d.fairWindow
	}
	return d.curWin
}

// updateWindow is UpdateWindow: SATF's window slides by one per request.
func (d *disk) updateWindow() {
	if d.fairWindow == -1 && d.curWin > 0 && d.curWin < int64(len(d.queue)) {
		d.curWin++
	}
}

// satf is DoSATF: of the requests not yet served, the one whose seek,
// rotation and transfer the disk estimates shortest (the first on a tie).
func (d *disk) satf(list []diskReq) (diskReq, error) {
	var best diskReq
	found, minEst := false, -1.0
	for _, r := range list {
		if d.state[r.index] == stateDone {
			continue
		}
		track, angle, err := d.lookup(r.block)
		if err != nil {
			return best, err
		}
		dist := track - d.armTrack
		if dist < 0 {
			dist = -dist
		}
		seekEst := (trackWidth / d.seekSpeed) * float64(dist)
		off := d.lay.offset[track]
		arrival := d.angle + seekEst*d.rotSpeed
		rotDist, ok := wrap(arrival, angle-off)
		if !ok {
			return best, errDiskForever
		}
		total := seekEst + rotDist/d.rotSpeed + float64(off)*2.0/d.rotSpeed
		if minEst == -1 || total < minEst {
			minEst, best, found = total, r, true
		}
	}
	if !found {
		return best, osteptool.PyError("AssertionError")
	}
	return best, nil
}

// wrap is DoSATF's loops: the arrival angle brought under 360 by repeated
// subtraction, as the script does, then the rotation from there to the
// block's start brought into [0, 360]; false when the loops would not end.
func wrap(arrival float64, start int64) (rotDist float64, ok bool) {
	const maxTurns = 1 << 26
	for i := 0; arrival > 360.0; i++ {
		if i == maxTurns {
			return 0, false
		}
		arrival -= 360.0
	}
	rotDist = float64(start) - arrival
	for i := 0; rotDist > 360.0; i++ {
		if i == maxTurns {
			return 0, false
		}
		rotDist -= 360.0
	}
	for i := 0; rotDist < 0.0; i++ {
		if i == maxTurns {
			return 0, false
		}
		rotDist += 360.0
	}
	return rotDist, true
}

// sstf is DoSSTF: the requests not yet served on the nearest track.
func (d *disk) sstf(list []diskReq) ([]diskReq, error) {
	minDist := int64(1000)
	var near []diskReq
	for _, r := range list {
		if d.state[r.index] == stateDone {
			continue
		}
		track, _, err := d.lookup(r.block)
		if err != nil {
			return nil, err
		}
		dist := track - d.armTrack
		if dist < 0 {
			dist = -dist
		}
		switch {
		case dist < minDist:
			near, minDist = []diskReq{r}, dist
		case dist == minDist:
			near = append(near, r)
		}
	}
	if len(near) == 0 {
		return nil, osteptool.PyError("AssertionError")
	}
	return near, nil
}
