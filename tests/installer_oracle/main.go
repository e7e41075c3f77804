// The installer's config loader, run: the oracle the checker's load-level findings are tested against.
//
// Gitpod 2022.11's installer loads a config in install/installer/pkg/config/loader.go (func Load,
// lines 86-131, the same at all four release tags): a non-strict sigs.k8s.io/yaml.Unmarshal of
// apiVersion, yq's del(.apiVersion) (yq v4 reads and writes with gopkg.in/yaml.v3), then
// sigs.k8s.io/yaml.UnmarshalStrict into the v1 Config, filled with its defaults first.
// install/installer/go.mod pins sigs.k8s.io/yaml v1.3.0, gopkg.in/yaml.v2 v2.4.0 and
// gopkg.in/yaml.v3 v3.0.1: the versions Debian packages, which this program is built against.
//
// The structs below are transcribed, field name, Go type and json tag, from
// install/installer/pkg/config/v1/config.go at each release tag (see structs.go). Sections the
// checker does not describe key by key are json.RawMessage: they load anything, as the checker's
// open sections do.
//
// Protocol: one JSON object per line on stdin, {"release": "2022.11.3", "yaml": "..."}; one JSON
// object per line on stdout, {"ok": true, "loaded": {...}} or {"ok": false, "error": "..."}.
// With -keys RELEASE it prints every key path of that release's closed sections and its Go type.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	yamlv3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"
)

type request struct {
	Release string `json:"release"`
	YAML    string `json:"yaml"`
}

type response struct {
	OK        bool        `json:"ok"`
	Error     string      `json:"error,omitempty"`
	Effective interface{} `json:"effective,omitempty"`
}

// load is loader.go's Load with strict=true (the installer's default, cmd/root.go).
func load(release string, document string) (interface{}, error) {
	var overrideVS struct {
		APIVersion string `json:"apiVersion"`
	}
	if err := yaml.Unmarshal([]byte(document), &overrideVS); err != nil {
		return nil, err
	}
	cfg, err := newConfig(release)
	if err != nil {
		return nil, err
	}
	output, err := deleteAPIVersion(document)
	if err != nil {
		return nil, err
	}
	if err := yaml.UnmarshalStrict(output, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// deleteAPIVersion does what yq's `del(.apiVersion)` does to a document: decode with yaml.v3,
// drop the top-level apiVersion key, encode again with yaml.v3 (indent 2, as yq prints).
func deleteAPIVersion(document string) ([]byte, error) {
	decoder := yamlv3.NewDecoder(strings.NewReader(document))
	var out bytes.Buffer
	encoder := yamlv3.NewEncoder(&out)
	encoder.SetIndent(2)
	for {
		var node yamlv3.Node
		err := decoder.Decode(&node)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		root := &node
		if root.Kind == yamlv3.DocumentNode && len(root.Content) == 1 {
			root = root.Content[0]
		}
		if root.Kind == yamlv3.MappingNode {
			kept := root.Content[:0]
			for i := 0; i+1 < len(root.Content); i += 2 {
				if root.Content[i].Value == "apiVersion" {
					continue
				}
				kept = append(kept, root.Content[i], root.Content[i+1])
			}
			root.Content = kept
		}
		if err := encoder.Encode(&node); err != nil {
			return nil, err
		}
	}
	if err := encoder.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func newConfig(release string) (interface{}, error) {
	switch release {
	case "2022.11.0":
		cfg := &Config2022110{}
		defaults2022110(cfg)
		return cfg, nil
	case "2022.11.1", "2022.11.2", "2022.11.3":
		cfg := &Config2022111{}
		defaults2022111(cfg)
		return cfg, nil
	}
	return nil, fmt.Errorf("unknown release %q", release)
}

// effectiveValue is the loaded config in a normal form the checker's model is compared with:
// only what is set. A nil pointer, and a non-pointer field holding its zero value (an empty
// string, false, an empty struct or list), are left out; a non-nil pointer is kept even when
// what it points to is empty (the installer acts on the pointer); open sections are left out.
func effectiveValue(v reflect.Value) (interface{}, bool) {
	if v.Type() == reflect.TypeOf(json.RawMessage{}) {
		return nil, false
	}
	switch v.Kind() {
	case reflect.Ptr:
		if v.IsNil() {
			return nil, false
		}
		inner, set := effectiveValue(v.Elem())
		if !set {
			switch v.Elem().Kind() {
			case reflect.Struct:
				return map[string]interface{}{}, true
			case reflect.Bool:
				return false, true
			}
		}
		return inner, true
	case reflect.Struct:
		out := map[string]interface{}{}
		for i := 0; i < v.NumField(); i++ {
			name := strings.Split(v.Type().Field(i).Tag.Get("json"), ",")[0]
			if value, set := effectiveValue(v.Field(i)); set {
				out[name] = value
			}
		}
		return out, len(out) > 0
	case reflect.Slice:
		if v.Len() == 0 {
			return nil, false
		}
		items := make([]interface{}, v.Len())
		for i := 0; i < v.Len(); i++ {
			item, set := effectiveValue(v.Index(i))
			if !set {
				item = zeroOf(v.Index(i))
			}
			items[i] = item
		}
		return items, true
	case reflect.String:
		return v.String(), v.String() != ""
	case reflect.Bool:
		return v.Bool(), v.Bool()
	case reflect.Int, reflect.Int64:
		return v.Int(), v.Int() != 0
	}
	return fmt.Sprintf("unsupported kind %s", v.Kind()), true
}

// zeroOf is how a list item that holds nothing is shown: "" or {}.
func zeroOf(v reflect.Value) interface{} {
	if v.Kind() == reflect.Struct {
		return map[string]interface{}{}
	}
	return ""
}

// keyPaths lists every key path below t with its Go type; json.RawMessage is "open".
func keyPaths(prefix string, t reflect.Type, out map[string]string) {
	pointer := ""
	if t.Kind() == reflect.Ptr {
		pointer = "*"
		t = t.Elem()
	}
	if t == reflect.TypeOf(json.RawMessage{}) {
		out[prefix] = "open"
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if prefix != "" {
			out[prefix] = pointer + "struct"
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			keyPaths(path, f.Type, out)
		}
	case reflect.Slice:
		out[prefix] = "list"
		keyPaths(prefix+"[]", t.Elem(), out)
	default:
		out[prefix] = pointer + t.Kind().String()
	}
}

func main() {
	keys := flag.String("keys", "", "print the key paths of this release's config and exit")
	flag.Parse()
	if *keys != "" {
		cfg, err := newConfig(*keys)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		paths := map[string]string{}
		keyPaths("", reflect.TypeOf(cfg).Elem(), paths)
		names := make([]string, 0, len(paths))
		for p := range paths {
			names = append(names, p)
		}
		sort.Strings(names)
		for _, p := range names {
			fmt.Printf("%s\t%s\n", p, paths[p])
		}
		return
	}
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var req request
			var resp response
			if jerr := json.Unmarshal(line, &req); jerr != nil {
				resp = response{Error: "bad request: " + jerr.Error()}
			} else if cfg, lerr := load(req.Release, req.YAML); lerr != nil {
				resp = response{Error: lerr.Error()}
			} else {
				effective, _ := effectiveValue(reflect.ValueOf(cfg))
				resp = response{OK: true, Effective: effective}
			}
			encoded, _ := json.Marshal(resp)
			out.Write(encoded)
			out.WriteByte('\n')
			out.Flush()
		}
		if err != nil {
			return
		}
	}
}
