package kernel

import "github.com/mkos/mkos/ipc"

// The memory system calls of tasks (proc) and of servers placed in the
// kernel (kframe). LECTURE: mmu

func (p *proc) Load(va uint64, buf []byte) error   { return p.k.memAccess(p.t, va, buf, false) }
func (p *proc) Store(va uint64, data []byte) error { return p.k.memAccess(p.t, va, data, true) }

func (p *proc) VM(req *ipc.VMRequest) error {
	c := p.enter("VM")
	p.t.err = ipc.ErrPerm
	if req == nil {
		p.t.err = ipc.ErrInvalid
	} else if p.k.mayPage(p.t) && p.k.allow(p.t, ipc.KVM, "") == 0 {
		p.t.err = p.k.vm(c, p.t, p.t, req)
	}
	return p.leave()
}

func (p *proc) Grant(to ipc.Endpoint, va, length uint64, prot ipc.Prot) (ipc.GrantID, error) {
	p.enter("Grant")
	g, e := p.k.makeGrant(p.t, to, va, length, prot)
	p.t.err = e
	return g, p.leave()
}

func (p *proc) Revoke(g ipc.GrantID) error {
	p.enter("Revoke")
	p.t.err = p.k.revoke(p.t, g)
	return p.leave()
}

func (p *proc) GrantCopy(owner ipc.Endpoint, g ipc.GrantID, off uint64, buf []byte, write bool) (int, error) {
	p.enter("GrantCopy")
	n, e := p.k.grantCopy(p.t, nil, owner, g, off, buf, write)
	p.t.err = e
	return n, p.leave()
}

func (p *proc) MemStats() ipc.MemStats { return p.k.MemStats(p.t.ep) }

// A server placed in the kernel has no memory of its own: Load, Store and
// Grant make no sense there. It may page (if it is mm) and copy through
// grants made to its service.

func (f *kframe) Load(uint64, []byte) error  { return ipc.ErrNoSys }
func (f *kframe) Store(uint64, []byte) error { return ipc.ErrNoSys }

func (f *kframe) VM(req *ipc.VMRequest) error {
	if req == nil {
		return ipc.ErrInvalid
	}
	if f.svc.name != f.k.cfg.Pager {
		return ipc.ErrPerm
	}
	return errOf(f.k.vm(f.k.cpuOf(f.t), f.t, nil, req))
}

func (f *kframe) Grant(ipc.Endpoint, uint64, uint64, ipc.Prot) (ipc.GrantID, error) {
	return 0, ipc.ErrNoSys
}

func (f *kframe) Revoke(ipc.GrantID) error { return ipc.ErrNoSys }

func (f *kframe) GrantCopy(owner ipc.Endpoint, g ipc.GrantID, off uint64, buf []byte, write bool) (int, error) {
	n, e := f.k.grantCopy(f.t, f.svc, owner, g, off, buf, write)
	return n, errOf(e)
}

func (f *kframe) MemStats() ipc.MemStats { return ipc.MemStats{} }
