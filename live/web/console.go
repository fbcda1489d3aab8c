package web

import (
	"io"
	"sync"
)

// Console is the system's console seen from the web: In is what the
// console's keyboard reads (keys typed in the browser), and the Console is
// the writer the console's screen writes to, fanned out to every browser
// attached, with the last Scrollback bytes kept for one that attaches
// later.
type Console struct {
	In io.Reader
	w  *io.PipeWriter

	mu     sync.Mutex
	screen []byte
	subs   map[chan []byte]bool
	closed bool
}

// Scrollback is how many bytes of the screen a console keeps.
const Scrollback = 64 << 10

// NewConsole returns a console with nothing typed yet.
func NewConsole() *Console {
	r, w := io.Pipe()
	return &Console{In: r, w: w, subs: map[chan []byte]bool{}}
}

// Type types b at the console's keyboard.
func (c *Console) Type(b []byte) error {
	_, err := c.w.Write(b)
	return err
}

// Write is the console's screen: it keeps b and sends it to every browser.
func (c *Console) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.screen = append(c.screen, b...)
	if over := len(c.screen) - Scrollback; over > 0 {
		c.screen = append(c.screen[:0], c.screen[over:]...)
	}
	for ch := range c.subs {
		select {
		case ch <- append([]byte(nil), b...):
		default: // a browser that does not keep up misses output, not the system
		}
	}
	return len(b), nil
}

// attach returns the screen so far and a channel of what follows.
func (c *Console) attach() ([]byte, chan []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan []byte, 256)
	c.subs[ch] = true
	return append([]byte(nil), c.screen...), ch
}

func (c *Console) detach(ch chan []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.subs, ch)
}

// Screen returns what the console keeps of its screen.
func (c *Console) Screen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.screen)
}

// Close hangs the keyboard up: the console reads the end of its input.
func (c *Console) Close() error { return c.w.Close() }
