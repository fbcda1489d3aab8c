//go:build !linux

package fusemount

// Mount is a running mount of an image; there is none on this host.
type Mount struct{}

// Start returns ErrUnsupported: FUSE mounts are Linux's here.
func Start(image, dir string, o Options) (*Mount, error) { return nil, ErrUnsupported }

// Unmount does nothing.
func (*Mount) Unmount() error { return ErrUnsupported }

// Wait returns at once.
func (*Mount) Wait() error { return ErrUnsupported }
