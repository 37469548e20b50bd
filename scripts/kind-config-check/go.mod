module gpu-campus/scripts/kind-config-check

go 1.26.0

require (
	go.yaml.in/yaml/v3 v3.0.6
	k8s.io/apimachinery v0.37.2
	sigs.k8s.io/kind v0.33.0
)

require (
	github.com/go-logr/logr v1.4.3 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	k8s.io/klog/v2 v2.140.0 // indirect
	k8s.io/utils v0.0.0-20260626114624-be93311217bd // indirect
)
