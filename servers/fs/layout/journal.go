package layout

import (
	"encoding/binary"

	"github.com/mkos/mkos/servers/fs/bdev"
)

// JournalMagic opens a journal header block.
const JournalMagic = "mkosjrnl"

// The journal header's byte offsets: magic, sequence, count, data CRC, the
// home addresses, and the header's own CRC in the last 4 bytes.
const (
	jhSeq   = 8
	jhN     = 16
	jhData  = 20
	jhHomes = 24
	jhCRC   = BlockSize - 4
)

// MaxTxnBlocks is the most blocks one transaction may log: as many home
// addresses as fit in the header.
const MaxTxnBlocks = (jhCRC - jhHomes) / 4

// JournalHeader is the journal's first block. A header with homes is a
// committed transaction: block i of the log (the block after the header,
// plus i) belongs at Homes[i]. A header with none means the journal is
// empty.
//
// LECTURE: write-ahead-log. The file server commits a transaction in four
// steps, each a barrier (Flush) apart: (1) write the blocks to the log;
// (2) write the header that lists them — the commit point; (3) write the
// blocks to their homes; (4) write an empty header. A crash before (2)
// leaves the old header (empty): the transaction never happened. A crash
// after (2) leaves a header that recovery replays: it copies the log to
// the homes again, which is harmless if (3) had already done it.
type JournalHeader struct {
	Seq     uint64   // the transaction's number, counting up from 1
	Homes   []uint32 // where each logged block belongs
	DataCRC uint32   // CRC-32C of the logged blocks, in order
}

// Encode writes the header into b (BlockSize bytes).
func (h *JournalHeader) Encode(b []byte) {
	clear(b[:BlockSize])
	le := binary.LittleEndian
	copy(b, JournalMagic)
	le.PutUint64(b[jhSeq:], h.Seq)
	le.PutUint32(b[jhN:], uint32(len(h.Homes)))
	le.PutUint32(b[jhData:], h.DataCRC)
	for i, home := range h.Homes {
		le.PutUint32(b[jhHomes+4*i:], home)
	}
	le.PutUint32(b[jhCRC:], Checksum(b[:jhCRC]))
}

// DecodeJournalHeader reads and checks a header block.
func DecodeJournalHeader(b []byte, sb *Superblock) (JournalHeader, error) {
	var h JournalHeader
	if string(b[:8]) != JournalMagic {
		return h, corrupt("journal header: bad magic number")
	}
	le := binary.LittleEndian
	if got, want := le.Uint32(b[jhCRC:]), Checksum(b[:jhCRC]); got != want {
		return h, corrupt("journal header: checksum %#x, want %#x", got, want)
	}
	n := le.Uint32(b[jhN:])
	if int(n) > sb.JournalCapacity() {
		return h, corrupt("journal header: %d blocks in a journal of %d", n, sb.JournalCapacity())
	}
	h.Seq, h.DataCRC = le.Uint64(b[jhSeq:]), le.Uint32(b[jhData:])
	h.Homes = make([]uint32, n)
	for i := range h.Homes {
		h.Homes[i] = le.Uint32(b[jhHomes+4*i:])
		if h.Homes[i] >= sb.Blocks || (h.Homes[i] >= sb.JournalStart && h.Homes[i] < sb.JournalStart+sb.JournalBlocks) {
			return h, corrupt("journal header: logged block %d has home %d in the journal or past the end", i, h.Homes[i])
		}
	}
	return h, nil
}

// Txn is a committed transaction read from the journal.
type Txn struct {
	JournalHeader
	Data [][]byte // the logged blocks, in the order of Homes
}

// ReadJournal reads the journal of the file system sb on dev. It returns
// the header and, when the header lists blocks, the committed transaction
// with them (nil when the journal is empty). A header or log that fails
// its checksum is a CorruptError.
func ReadJournal(dev bdev.BlockDev, sb *Superblock) (JournalHeader, *Txn, error) {
	b := make([]byte, BlockSize)
	if err := dev.ReadBlocks(int64(sb.JournalStart), b); err != nil {
		return JournalHeader{}, nil, err
	}
	h, err := DecodeJournalHeader(b, sb)
	if err != nil || len(h.Homes) == 0 {
		return h, nil, err
	}
	log := make([]byte, len(h.Homes)*BlockSize)
	if err := dev.ReadBlocks(int64(sb.JournalStart)+1, log); err != nil {
		return h, nil, err
	}
	if got := Checksum(log); got != h.DataCRC {
		return h, nil, corrupt("journal: transaction %d: logged blocks have checksum %#x, want %#x", h.Seq, got, h.DataCRC)
	}
	t := &Txn{JournalHeader: h}
	for i := range h.Homes {
		t.Data = append(t.Data, log[i*BlockSize:(i+1)*BlockSize])
	}
	return h, t, nil
}

// Install writes the transaction's blocks to their homes, flushes, and
// empties the journal (keeping the sequence number): recovery's replay.
func (t *Txn) Install(dev bdev.BlockDev, sb *Superblock) error {
	for i, home := range t.Homes {
		if err := dev.WriteBlocks(int64(home), t.Data[i]); err != nil {
			return err
		}
	}
	if err := dev.Flush(); err != nil {
		return err
	}
	return WriteEmptyJournal(dev, sb, t.Seq)
}

// WriteEmptyJournal writes a header with no blocks and sequence seq, and
// flushes.
func WriteEmptyJournal(dev bdev.BlockDev, sb *Superblock, seq uint64) error {
	b := make([]byte, BlockSize)
	h := JournalHeader{Seq: seq}
	h.Encode(b)
	if err := dev.WriteBlocks(int64(sb.JournalStart), b); err != nil {
		return err
	}
	return dev.Flush()
}
