#!/usr/bin/python3
"""An ODK submission encryptor (and checker) for tests, written from the ODK XForms
encryption specification (https://getodk.github.io/xforms-spec/encryption) with
Debian's python3-cryptography, independently of ngosurvey's decryptor
(src/exchange/odk_crypto.cpp).

  odk_encrypt.py encrypt PUBLIC.pem SUBMISSION.xml OUT_DIR [MEDIA...]
        [--manifest NAME.xml] [--namespace collect|spec] [--mgf1 sha256|sha1]
  odk_encrypt.py check PRIVATE.pem PASSPHRASE_FILE OUT_DIR/MANIFEST.xml

encrypt: a random AES-256 key, wrapped with RSA-OAEP (SHA-256; MGF1 with SHA-256, or
SHA-1 as Enketo does); IVs from MD5(instanceID + key), one byte incremented per file;
each MEDIA file and then the XML encrypted with AES-256-CFB128 after PKCS#7 padding,
as NAME.enc and submission.xml.enc; the manifest (root id/version from the XML, the
namespace Collect writes or the one of the specification) with the signature: RSA-OAEP
of MD5 over "form id, version, key, instanceID, NAME::md5hex(file)..." lines.
check: decrypts a manifest's files with the private key (PKCS#8 PEM, passphrase from
the first line of the file) and verifies the signature: exit 0 when all is right.
"""
import base64
import hashlib
import os
import re
import sys
import xml.etree.ElementTree as ET

from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

NAMESPACES = {"collect": "http://www.opendatakit.org/xforms/encrypted",
              "spec": "http://opendatakit.org/submissions"}
MGF = {"sha256": hashes.SHA256(), "sha1": hashes.SHA1()}


def oaep(mgf1):
    return rsa_padding.OAEP(mgf=rsa_padding.MGF1(algorithm=mgf1), algorithm=hashes.SHA256(),
                            label=None)


class Ivs:
    """The IV of each file in turn: the MD5 seed with one byte incremented per file."""

    def __init__(self, instance_id, key):
        self.seed = bytearray(hashlib.md5(instance_id.encode("utf-8") + key).digest())
        self.counter = 0

    def next(self):
        index = self.counter % 16
        self.seed[index] = (self.seed[index] + 1) % 256
        self.counter += 1
        return bytes(self.seed)


def submission_facts(xml_bytes):
    root = ET.fromstring(xml_bytes)
    form_id = root.attrib["id"]
    version = root.attrib.get("version", "")
    match = re.search(rb"<(?:\w+:)?instanceID>\s*([^<\s]+)\s*</", xml_bytes)
    return form_id, version, match.group(1).decode("utf-8")


def signature_text(form_id, version, wrapped_b64, instance_id, files):
    lines = [form_id] + ([version] if version else []) + [wrapped_b64, instance_id]
    lines += [name + "::" + hashlib.md5(data).hexdigest() for name, data in files]
    return ("\n".join(lines) + "\n").encode("utf-8")


def encrypt(argv):
    options = {"--manifest": None, "--namespace": "collect", "--mgf1": "sha256"}
    positional = []
    i = 0
    while i < len(argv):
        if argv[i] in options:
            options[argv[i]] = argv[i + 1]
            i += 2
        else:
            positional.append(argv[i])
            i += 1
    public_pem, submission, out_dir = positional[:3]
    media = positional[3:]
    public_key = serialization.load_pem_public_key(open(public_pem, "rb").read())
    xml_bytes = open(submission, "rb").read()
    form_id, version, instance_id = submission_facts(xml_bytes)
    key = os.urandom(32)
    mgf1 = MGF[options["--mgf1"]]
    wrapped_b64 = base64.b64encode(public_key.encrypt(key, oaep(mgf1))).decode("ascii")
    ivs = Ivs(instance_id, key)
    os.makedirs(out_dir, exist_ok=True)
    originals = []
    for name, data in [(os.path.basename(m), open(m, "rb").read()) for m in media] + [
            ("submission.xml", xml_bytes)]:
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        encryptor = Cipher(algorithms.AES(key), modes.CFB(ivs.next())).encryptor()
        with open(os.path.join(out_dir, name + ".enc"), "wb") as out:
            out.write(encryptor.update(padded) + encryptor.finalize())
        originals.append((name, data))
    digest = hashlib.md5(signature_text(form_id, version, wrapped_b64, instance_id,
                                        originals)).digest()
    signature_b64 = base64.b64encode(public_key.encrypt(digest, oaep(mgf1))).decode("ascii")
    version_attr = f' version="{version}"' if version else ""
    media_xml = "".join(f"<media><file>{name}.enc</file></media>" for name, _ in originals[:-1])
    manifest = (f'<data xmlns="{NAMESPACES[options["--namespace"]]}" id="{form_id}"'
                f'{version_attr} encrypted="yes"><base64EncryptedKey>{wrapped_b64}'
                f'</base64EncryptedKey><meta xmlns="http://openrosa.org/xforms"><instanceID>'
                f'{instance_id}</instanceID></meta>{media_xml}<encryptedXmlFile>'
                f'submission.xml.enc</encryptedXmlFile><base64EncryptedElementSignature>'
                f'{signature_b64}</base64EncryptedElementSignature></data>\n')
    name = options["--manifest"] or os.path.basename(os.path.normpath(out_dir)) + ".xml"
    with open(os.path.join(out_dir, name), "w", encoding="utf-8") as out:
        out.write(manifest)
    return 0


def check(argv):
    private_pem, passphrase_file, manifest_path = argv
    passphrase = open(passphrase_file, "rb").read().split(b"\n")[0].rstrip(b"\r")
    private_key = serialization.load_pem_private_key(open(private_pem, "rb").read(),
                                                     password=passphrase or None)
    root = ET.parse(manifest_path).getroot()
    strip = lambda tag: tag.split("}")[-1]
    fields = {strip(e.tag): e for e in root.iter()}
    wrapped_b64 = fields["base64EncryptedKey"].text.strip()
    instance_id = fields["instanceID"].text.strip()
    files = [e.text.strip() for e in root.iter() if strip(e.tag) == "file"]
    files.append(fields["encryptedXmlFile"].text.strip())
    wrapped = base64.b64decode(wrapped_b64)
    for mgf1 in (hashes.SHA256(), hashes.SHA1()):
        try:
            key = private_key.decrypt(wrapped, oaep(mgf1))
            break
        except ValueError:
            key = None
    if key is None:
        print("check: the key does not unwrap", file=sys.stderr)
        return 1
    ivs = Ivs(instance_id, key)
    folder = os.path.dirname(manifest_path)
    originals = []
    for name in files:
        decryptor = Cipher(algorithms.AES(key), modes.CFB(ivs.next())).decryptor()
        padded = decryptor.update(open(os.path.join(folder, name), "rb").read())
        unpadder = padding.PKCS7(128).unpadder()
        originals.append((name[:-4], unpadder.update(padded) + unpadder.finalize()))
    digest = private_key.decrypt(
        base64.b64decode(fields["base64EncryptedElementSignature"].text.strip()), oaep(mgf1))
    expected = hashlib.md5(signature_text(root.attrib["id"], root.attrib.get("version", ""),
                                          wrapped_b64, instance_id, originals)).digest()
    if digest != expected:
        print("check: the signature does not match", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("encrypt", "check"):
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(encrypt(sys.argv[2:]) if sys.argv[1] == "encrypt" else check(sys.argv[2:]))
