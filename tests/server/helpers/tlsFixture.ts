// A self-signed certificate for 127.0.0.1 and localhost (P-256, valid until 2126), for the TLS
// test only. Made with:
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 \
//     -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost"

export const TEST_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUPypkFCsGSGaW3nifbZLf8Z4wF/8wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjAzMDcwM1oYDzIxMjYxMDI5
MDMwNzAzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ7k9YaknuReMdWry8YKJ64diPumaIB/eGuSxOu+Lot34vWGqH8XUrI
IqHfYFK9Q9rrMdIloG5Eh42KqfXROPIJo28wbTAdBgNVHQ4EFgQUXrYZom6mzp2L
i6uqhOawkMLrmCMwHwYDVR0jBBgwFoAUXrYZom6mzp2Li6uqhOawkMLrmCMwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIhAMwGSPMW/+X0W6btmGfavk6GoA/L/rdl7lO+c0p/WgRQAiBS
lDxNGvefHZi5DDX0VqpF1pnbDg8dtTYZqfDLi1xOGw==
-----END CERTIFICATE-----
`;

export const TEST_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+dP5CsHSFIcnuXjo
KnGh9BBRaP/WijR0MwLwGcAgTMShRANCAAQ7k9YaknuReMdWry8YKJ64diPumaIB
/eGuSxOu+Lot34vWGqH8XUrIIqHfYFK9Q9rrMdIloG5Eh42KqfXROPIJ
-----END PRIVATE KEY-----
`;
