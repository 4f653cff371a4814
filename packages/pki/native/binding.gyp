{
  "targets": [
    {
      "target_name": "signet_ecdsa",
      "sources": ["src/addon.c", "src/p384.c"],
      "cflags": ["-O3", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "cflags!": ["-O2"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
