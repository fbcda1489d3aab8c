package hw

// SSDParams are the figures of a flash disk.
type SSDParams struct {
	// ReadNs and WriteNs are the fixed cost of one read or write: reading
	// a flash page into the chip's register, or programming one.
	ReadNs, WriteNs int64
	// BusBytesPerSec is the transfer rate between the disk and the host.
	BusBytesPerSec int64
}

// DefaultSSD is a SATA flash disk. Sources:
//
//   - page read 25 µs and page program 200 µs: Agrawal et al., "Design
//     Tradeoffs for SSD Performance", USENIX ATC 2008, table 1 (SLC NAND,
//     Samsung K9XXG08UXM); block erase (1.5 ms) and the flash translation
//     layer are not modelled;
//   - bus 500 MB/s: an assumption. SATA 6 Gb/s carries at most 600 MB/s
//     of data; SATA SSDs reach about 500 MB/s.
var DefaultSSD = SSDParams{ReadNs: 25_000, WriteNs: 200_000, BusBytesPerSec: 500_000_000}

// ssd is the latency model of a flash disk: every operation costs the same
// wherever its blocks are — no seek, no rotation — plus the transfer. The
// blocks of one operation are read or programmed in parallel across the
// flash chips, so the fixed cost is paid once per operation.
type ssd struct {
	p         SSDParams
	blockSize int64
}

func (s *ssd) plan(_ int64, write bool, _ int64, count int) Timing {
	t := Timing{AccessNs: s.p.ReadNs, TransferNs: transferNs(int64(count)*s.blockSize, s.p.BusBytesPerSec)}
	if write {
		t.AccessNs = s.p.WriteNs
	}
	return t
}

func (s *ssd) reset() {}
