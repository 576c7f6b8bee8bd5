// Decodes every reply fixture with the Go client that openapi-generator made from openapi.yaml (nox -s polyglot).
//
// The session copies this directory into the generated module as cmd/polyglot, next to replies_gen.go (the map
// from reply schema to generated type), and runs it with the fixtures file. Each reply must decode into its
// operation's reply type, land in the oneOf member the spec says it is (success or failure), and serialize back
// to the same values (so no field is lost or retyped); a reply marked `reject` must not decode. documented.go
// then reads the documented replies through the generated getters.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
)

type fixture struct {
	Name   string          `json:"name"`
	Schema string          `json:"schema"`
	Member string          `json:"member"`
	Reply  json.RawMessage `json:"reply"`
	Expect json.RawMessage `json:"expect"`
	Reject bool            `json:"reject"`
}

// parse reads JSON with exact numbers, so values compare as they were written.
func parse(raw []byte) interface{} {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil {
		panic(err)
	}
	return v
}

// agrees tells whether a decoded-and-encoded value holds every member of expect with the same value, and any
// other member only as the server sent it (a decoder may keep unknown fields or drop them). A member that is
// null counts as absent: both decode to nil, and Go omits a nil slice even where the spec requires it.
func agrees(got, expect, sent interface{}) bool {
	g, gok := got.(map[string]interface{})
	e, eok := expect.(map[string]interface{})
	if gok && eok {
		s, _ := sent.(map[string]interface{})
		for key, value := range e {
			if value != nil && !agrees(g[key], value, s[key]) {
				return false
			}
		}
		for key, value := range g {
			if value != nil && e[key] == nil && !reflect.DeepEqual(value, s[key]) {
				return false
			}
		}
		return true
	}
	ga, gok := got.([]interface{})
	ea, eok := expect.([]interface{})
	if gok && eok {
		sa, _ := sent.([]interface{})
		if len(ga) != len(ea) {
			return false
		}
		for i := range ga {
			var s interface{}
			if i < len(sa) {
				s = sa[i]
			}
			if !agrees(ga[i], ea[i], s) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, expect)
}

// member names the oneOf member a reply decoded into, or "" when the type is not a oneOf.
func member(v interface{}) string {
	one, ok := v.(interface{ GetActualInstance() interface{} })
	if !ok {
		return ""
	}
	inst := one.GetActualInstance()
	if inst == nil {
		return "<none>"
	}
	return reflect.TypeOf(inst).Elem().Name()
}

func check(f fixture) (interface{}, error) {
	newReply, ok := replyTypes[f.Schema]
	if !ok {
		return nil, fmt.Errorf("no generated Go type for schema %s", f.Schema)
	}
	v := newReply()
	err := json.Unmarshal(f.Reply, v)
	if f.Reject {
		if err == nil {
			return nil, fmt.Errorf("decoded a reply it must refuse: %s", f.Reply)
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("decode: %v", err)
	}
	if got := member(v); got != f.Member {
		return nil, fmt.Errorf("decoded as the oneOf member %q, expected %q", got, f.Member)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode again: %v", err)
	}
	if !agrees(parse(out), parse(f.Expect), parse(f.Reply)) {
		return nil, fmt.Errorf("decoded as %s, expected %s", out, f.Expect)
	}
	return v, nil
}

// verbose: print every reply that passed, not only the failures (POLYGLOT_VERBOSE=1).
var verbose = os.Getenv("POLYGLOT_VERBOSE") != ""

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var fixtures []fixture
	if err := json.Unmarshal(raw, &fixtures); err != nil {
		panic(err)
	}
	passed, failed := 0, 0
	seen := map[string]bool{}
	for _, f := range fixtures {
		seen[f.Name] = true
		v, err := check(f)
		if read, ok := documented[f.Name]; ok && err == nil {
			if wrong := read(v); len(wrong) > 0 {
				err = fmt.Errorf("the generated getters do not read back: %v", wrong)
			}
		}
		if err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", f.Name, err)
			continue
		}
		passed++
		if verbose {
			fmt.Printf("ok   %s %s\n", f.Name, f.Member)
		}
	}
	for name := range documented {
		if !seen[name] {
			failed++
			fmt.Printf("FAIL %s: no such fixture in replies.json\n", name)
		}
	}
	fmt.Printf("go: %d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		os.Exit(1)
	}
}
