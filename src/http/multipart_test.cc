#include "http/multipart.h"

#include <gtest/gtest.h>

#include "http/header_value.h"

namespace sluice::http {
namespace {

// A part as the tests see it: head and all its data.
struct Part {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string data;
  bool ended = false;

  bool operator==(const Part&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Part& p) {
  return os << "{" << p.name << ", " << p.filename.value_or("-") << ", " << p.content_type << ", "
            << p.data.size() << " bytes, " << (p.ended ? "ended" : "open") << "}";
}

// Collects events into parts, checking their order.
class Collector {
 public:
  Status Feed(MultipartParser& parser, std::string_view piece) {
    Result<std::vector<MultipartEvent>> events = parser.Feed(piece);
    if (!events.ok()) return events.status();
    for (const MultipartEvent& e : *events) {
      switch (e.kind) {
        case MultipartEvent::Kind::kPartBegin:
          EXPECT_TRUE(parts.empty() || parts.back().ended);
          parts.push_back({e.part.name, e.part.filename, e.part.content_type, "", false});
          break;
        case MultipartEvent::Kind::kPartData:
          EXPECT_FALSE(e.data.empty());
          EXPECT_FALSE(parts.empty() || parts.back().ended);
          parts.back().data.append(e.data);
          break;
        case MultipartEvent::Kind::kPartEnd:
          EXPECT_FALSE(parts.empty() || parts.back().ended);
          parts.back().ended = true;
          break;
      }
    }
    return OkStatus();
  }

  std::vector<Part> parts;
};

// Parses `body` fed in the given pieces; the error if any step failed.
Result<std::vector<Part>> ParseInPieces(std::string_view boundary,
                                        const std::vector<std::string_view>& pieces) {
  MultipartParser parser{std::string(boundary)};
  Collector collector;
  for (std::string_view piece : pieces) {
    // Copy, so a view kept past its Feed would show up as garbage (or under ASan).
    std::string copy(piece);
    SLUICE_RETURN_IF_ERROR(collector.Feed(parser, copy));
  }
  SLUICE_RETURN_IF_ERROR(parser.Finish());
  return collector.parts;
}

Result<std::vector<Part>> Parse(std::string_view boundary, std::string_view body) {
  return ParseInPieces(boundary, {body});
}

// Data that looks like the delimiter without being it (a boundary must never follow CRLF in
// data), and a CR at the very end.
const std::string kTrickyData = "line one\r\n--Xy Z\n--XyZ\r--XyY\r\n-\r\r\n--Xy\r";

std::string TwoPartBody() {
  return "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"purpose\"\r\n"
         "\r\n"
         "batch\r\n"
         "--XyZ  \r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"in put.jsonl\"\r\n"
         "Content-Type: application/octet-stream\r\n"
         "\r\n" +
         kTrickyData +
         "\r\n"
         "--XyZ--\r\n"
         "epilogue is ignored";
}

std::vector<Part> TwoParts() {
  return {{"purpose", std::nullopt, "text/plain", "batch", true},
          {"file", "in put.jsonl", "application/octet-stream", kTrickyData, true}};
}

TEST(MultipartParserTest, ParsesPartsInOnePiece) {
  Result<std::vector<Part>> parts = Parse("XyZ", TwoPartBody());
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(*parts, TwoParts());
}

TEST(MultipartParserTest, SplittingAtEveryPositionGivesTheSameParts) {
  std::string body = TwoPartBody();
  for (std::size_t at = 0; at <= body.size(); ++at) {
    std::string_view view = body;
    Result<std::vector<Part>> parts = ParseInPieces("XyZ", {view.substr(0, at), view.substr(at)});
    ASSERT_TRUE(parts.ok()) << "split at " << at << ": " << parts.status();
    ASSERT_EQ(*parts, TwoParts()) << "split at " << at;
  }
}

TEST(MultipartParserTest, SplittingAtEveryPairOfPositionsGivesTheSameParts) {
  std::string body = TwoPartBody();
  std::string_view view = body;
  for (std::size_t a = 0; a <= body.size(); ++a) {
    for (std::size_t b = a; b <= body.size(); ++b) {
      Result<std::vector<Part>> parts =
          ParseInPieces("XyZ", {view.substr(0, a), view.substr(a, b - a), view.substr(b)});
      ASSERT_TRUE(parts.ok()) << "split at " << a << "," << b << ": " << parts.status();
      ASSERT_EQ(*parts, TwoParts()) << "split at " << a << "," << b;
    }
  }
}

TEST(MultipartParserTest, OneByteAtATime) {
  std::string body = TwoPartBody();
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < body.size(); ++i)
    bytes.push_back(std::string_view(body).substr(i, 1));
  Result<std::vector<Part>> parts = ParseInPieces("XyZ", bytes);
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(*parts, TwoParts());
}

TEST(MultipartParserTest, LargePartIsHandedOutInPiecesNotBuffered) {
  MultipartParser parser("b");
  std::string head = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\n";
  Result<std::vector<MultipartEvent>> first = parser.Feed(head);
  ASSERT_TRUE(first.ok());
  std::string chunk(64 * 1024, 'a');
  std::size_t handed_out = 0;
  for (int i = 0; i < 100; ++i) {
    Result<std::vector<MultipartEvent>> events = parser.Feed(chunk);
    ASSERT_TRUE(events.ok());
    for (const auto& e : *events) handed_out += e.data.size();
    // Everything but a possible delimiter start is handed out at once.
    EXPECT_GE(handed_out + 8, (i + 1) * chunk.size());
  }
  ASSERT_TRUE(parser.Feed("\r\n--b--").ok());
  EXPECT_TRUE(parser.done());
  EXPECT_TRUE(parser.Finish().ok());
}

TEST(MultipartParserTest, PreambleAndPartWithoutHeadersOtherThanDisposition) {
  Result<std::vector<Part>> parts =
      Parse("b", "preamble text\r\n--b\r\nContent-Disposition: form-data; name=x\r\n\r\n\r\n--b--");
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "x");
  EXPECT_EQ((*parts)[0].data, "");
}

TEST(MultipartParserTest, ExtendedFilenameWins) {
  Result<std::vector<Part>> parts =
      Parse("b",
            "--b\r\ncontent-disposition: form-data; name=\"f\"; filename=\"plain.txt\"; "
            "filename*=UTF-8''caf%C3%A9.jsonl\r\n\r\ndata\r\n--b--");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ((*parts)[0].filename, "caf\xC3\xA9.jsonl");
}

TEST(MultipartParserTest, BoundaryComesFromTheContentTypeQuotedOrNot) {
  auto plain = MultipartParser::ForContentType("multipart/form-data; boundary=abc");
  ASSERT_TRUE(plain.ok()) << plain.status();
  auto quoted = MultipartParser::ForContentType(
      "Multipart/Form-Data; charset=utf-8; "
      "boundary=\"a b:c\"");
  ASSERT_TRUE(quoted.ok()) << quoted.status();
  ASSERT_TRUE(quoted
                  ->Feed("--a b:c\r\nContent-Disposition: form-data; name=k\r\n\r\nv\r\n"
                         "--a b:c--")
                  .ok());
  EXPECT_TRUE(quoted->done());
}

TEST(MultipartParserTest, ContentTypeErrors) {
  EXPECT_EQ(MultipartParser::ForContentType("application/json").status().code(),
            StatusCode::kInvalidArgument);
  auto no_boundary = MultipartParser::ForContentType("multipart/form-data");
  EXPECT_EQ(no_boundary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_boundary.status().message().find("boundary"), std::string::npos);
  EXPECT_FALSE(MultipartParser::ForContentType("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(
      MultipartParser::ForContentType("multipart/form-data; boundary=" + std::string(71, 'x'))
          .ok());
  EXPECT_FALSE(MultipartParser::ForContentType("multipart/form-data; boundary=\"open").ok());
}

TEST(MultipartParserTest, MissingClosingBoundaryIsAnError) {
  Result<std::vector<Part>> parts =
      Parse("b", "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nvalue\r\n--b\r\n");
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parts.status().message().find("closing boundary"), std::string::npos);
  EXPECT_FALSE(Parse("b", "").ok());
}

TEST(MultipartParserTest, HeaderTooLongIsAnError) {
  MultipartParser parser("b", {.max_part_header_bytes = 100, .max_preamble_bytes = 100});
  std::string body = "--b\r\nContent-Disposition: form-data; name=x\r\nX-Pad: " +
                     std::string(200, 'p');  // no end of the header block yet
  Result<std::vector<MultipartEvent>> events = parser.Feed(body);
  ASSERT_FALSE(events.ok());
  EXPECT_NE(events.status().message().find("headers are longer"), std::string::npos);
  EXPECT_FALSE(parser.Feed("\r\n\r\n").ok()) << "errors stick";
}

TEST(MultipartParserTest, AHeaderBlockOfExactlyTheLimitPassesWhereverTheReadEnds) {
  std::string head = "Content-Disposition: form-data; name=x";
  std::string body = "--b\r\n" + head + "\r\n\r\ndata\r\n--b--";
  for (std::size_t cut = 1; cut < body.size(); ++cut) {
    MultipartParser parser("b", {.max_part_header_bytes = head.size(), .max_preamble_bytes = 0});
    Collector c;
    ASSERT_TRUE(c.Feed(parser, body.substr(0, cut)).ok()) << "cut at " << cut;
    ASSERT_TRUE(c.Feed(parser, body.substr(cut)).ok()) << "cut at " << cut;
    EXPECT_TRUE(parser.Finish().ok());
  }
}

TEST(MultipartParserTest, BoundaryPaddingUpTo64SpacesPassesWhereverTheReadEnds) {
  std::string part = "\r\nContent-Disposition: form-data; name=x\r\n\r\nd\r\n--b--";
  std::string body = "--b" + std::string(64, ' ') + part;
  for (std::size_t cut = 1; cut < body.size(); ++cut) {
    MultipartParser parser("b");
    Collector c;
    ASSERT_TRUE(c.Feed(parser, body.substr(0, cut)).ok()) << "cut at " << cut;
    ASSERT_TRUE(c.Feed(parser, body.substr(cut)).ok()) << "cut at " << cut;
    EXPECT_TRUE(parser.Finish().ok());
  }
  MultipartParser too_much("b");
  EXPECT_FALSE(too_much.Feed("--b" + std::string(65, ' ') + part).ok());
}

TEST(MultipartParserTest, GarbageIsAnError) {
  // No boundary line at all.
  MultipartParser parser("b", {.max_part_header_bytes = 100, .max_preamble_bytes = 100});
  EXPECT_FALSE(parser.Feed(std::string(500, 'g')).ok());
  // Something other than a line end or "--" after a boundary.
  EXPECT_FALSE(Parse("b", "--bxyz\r\n\r\n--b--").ok());
  // A header line without a colon.
  EXPECT_FALSE(Parse("b", "--b\r\nnot a header\r\n\r\nx\r\n--b--").ok());
  // A part that is not form-data, or has no name.
  EXPECT_FALSE(Parse("b", "--b\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--").ok());
  EXPECT_FALSE(Parse("b", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--").ok());
  EXPECT_FALSE(Parse("b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--").ok());
}

TEST(HeaderValueTest, ParsesParametersWithQuotesAndEscapes) {
  auto v = ParseHeaderValue(R"(Form-Data; name="a\"b"; filename=c.jsonl ; flag)");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->value, "form-data");
  EXPECT_EQ(v->Param("name"), "a\"b");
  EXPECT_EQ(v->Param("filename"), "c.jsonl");
  EXPECT_EQ(v->Param("flag"), "");
  EXPECT_FALSE(v->Param("other").has_value());
  EXPECT_FALSE(ParseHeaderValue("x; =y").has_value());
  EXPECT_EQ(DecodeExtendedValue("utf-8'en'a%20b"), "a b");
  EXPECT_FALSE(DecodeExtendedValue("no quotes").has_value());
  EXPECT_FALSE(DecodeExtendedValue("utf-8''bad%2").has_value());
}

}  // namespace
}  // namespace sluice::http
