//go:build linux

package fusemount

import (
	"fmt"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
)

// mount is a mounted image: the system serving it, the bridge into it,
// and go-fuse's server.
type mount struct {
	sys      *boot.System
	b        *bridge
	server   *fuse.Server
	readOnly bool
	runErr   error
}

// Mount is a running mount of an image.
type Mount struct{ m *mount }

// Start boots the file server over image and mounts it at dir. The
// caller must Wait for it; Unmount (or the host's umount) ends it.
func Start(image, dir string, o Options) (*Mount, error) {
	sys, err := boot.Boot(config(image, o), nil)
	if err != nil {
		return nil, err
	}
	m := &mount{sys: sys, b: newBridge(sys), readOnly: o.ReadOnly}
	if _, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "fuse", Body: m.b.body}); err != nil {
		sys.Close()
		return nil, err
	}
	go func() {
		_, m.runErr = sys.Run()
		close(m.b.stopped)
	}()
	mo := fuse.MountOptions{DirectMountStrict: true, FsName: image, Name: "mkos"}
	if o.ReadOnly {
		mo.Options = append(mo.Options, "ro")
	}
	second := time.Second
	m.server, err = fs.Mount(dir, &node{m: m}, &fs.Options{MountOptions: mo, EntryTimeout: &second, AttrTimeout: &second})
	if err != nil {
		m.b.stop()
		<-m.b.stopped
		sys.Close()
		return nil, fmt.Errorf("mount %s: %w", dir, err)
	}
	return &Mount{m}, nil
}

// Unmount asks the host to unmount; Wait then returns.
func (mt *Mount) Unmount() error { return mt.m.server.Unmount() }

// Wait waits until the mount ends (Unmount, or umount on the host), stops
// the system — the bridge syncs the file system last — and returns the
// run's error.
func (mt *Mount) Wait() error {
	m := mt.m
	m.server.Wait()
	m.b.stop()
	<-m.b.stopped
	if err := m.sys.Close(); err != nil && m.runErr == nil {
		return err
	}
	return m.runErr
}
