"""The api_v3 wire protocol, without I/O: parameters, requests, responses, multirequest."""
