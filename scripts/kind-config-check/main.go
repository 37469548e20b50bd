// Command kind-config-check decodes a generated kind config the way kind itself does
// (sigs.k8s.io/kind pkg/internal/apis/config/encoding: yaml v3 with unknown fields refused, into
// the public v1alpha4 types), then checks every node label with Kubernetes' own label validation.
// It exits non-zero, naming the problem, when the file is not a config kind would accept.
//
//	go run . <kind-config.yaml>
package main

import (
	"bytes"
	"fmt"
	"os"

	yaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kind-config-check <kind-config.yaml>")
		os.Exit(2)
	}
	if err := check(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func check(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	decoder := yaml.NewDecoder(bytes.NewReader(raw))
	decoder.KnownFields(true)
	var cluster v1alpha4.Cluster
	if err := decoder.Decode(&cluster); err != nil {
		return fmt.Errorf("not a kind v1alpha4 config: %w", err)
	}
	if cluster.APIVersion != "kind.x-k8s.io/v1alpha4" || cluster.Kind != "Cluster" {
		return fmt.Errorf("apiVersion/kind %q/%q, want kind.x-k8s.io/v1alpha4/Cluster", cluster.APIVersion, cluster.Kind)
	}
	workers := 0
	for i, node := range cluster.Nodes {
		if node.Role != v1alpha4.ControlPlaneRole && node.Role != v1alpha4.WorkerRole {
			return fmt.Errorf("nodes[%d].role %q is neither control-plane nor worker", i, node.Role)
		}
		if node.Role == v1alpha4.WorkerRole {
			workers++
		}
		for key, value := range node.Labels {
			if errs := validation.IsQualifiedName(key); len(errs) > 0 {
				return fmt.Errorf("nodes[%d].labels key %q: %v", i, key, errs)
			}
			if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
				return fmt.Errorf("nodes[%d].labels[%q] value %q: %v", i, key, value, errs)
			}
		}
		for j, patch := range node.KubeadmConfigPatches {
			var doc map[string]any
			if err := yaml.Unmarshal([]byte(patch), &doc); err != nil {
				return fmt.Errorf("nodes[%d].kubeadmConfigPatches[%d] is not YAML: %w", i, j, err)
			}
			if doc["kind"] == nil {
				return fmt.Errorf("nodes[%d].kubeadmConfigPatches[%d] has no kind", i, j)
			}
		}
	}
	fmt.Printf("%s: a valid kind v1alpha4 Cluster %q with %d worker(s)\n", path, cluster.Name, workers)
	return nil
}
