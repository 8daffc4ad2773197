package ui

import (
	"net/http/httptest"
	"testing"
)

// FuzzKnownDevice: the device cookie is read before sign-in, from anyone.
// Whatever it holds, only a cookie this server signed for that very user
// is a known device.
func FuzzKnownDevice(f *testing.F) {
	s := &Handler{ui: &uiState{deviceKey: []byte("fuzz key")}}
	// Fixed, not drawn: the fuzzing workers are other processes.
	genuine := "42.fixed-device-id-0001." + s.deviceMAC("42", "fixed-device-id-0001")
	for _, v := range []string{genuine, genuine + "x", "42..", "42.abc.", "..", "", "-1.x.y", "42.abc.def.ghi"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, value string) {
		r := httptest.NewRequest("POST", "/signin", nil)
		r.Header.Set("Cookie", deviceCookie+"="+value)
		id := s.knownDevice(r, 42)
		c, err := r.Cookie(deviceCookie)
		if id != "" && (err != nil || c.Value != genuine) {
			t.Fatalf("cookie %q taken as device %q; only %q is genuine", value, id, genuine)
		}
		if s.knownDevice(r, 43) != "" {
			t.Fatalf("cookie %q taken as a device of another user", value)
		}
	})
}
